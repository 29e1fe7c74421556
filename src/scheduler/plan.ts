import type { MissedPolicy } from '../store/store.js';
import type { TickSource } from './ticks.js';

/** The part of a schedule that decides which ticks are due. */
export interface PlanInput {
  /** Ticks at or before this are done. */
  cursor: number;
  graceMs: number;
  missed: MissedPolicy;
  missedLimit: number;
}

/** Which ticks to fire now, oldest first, and how many were missed and left out. */
export interface TickPlan {
  ticks: number[];
  /** Missed ticks the policy leaves out (counted up to `MISSED_COUNT_CAP`). */
  skipped: number;
}

/** Most on-time ticks fired in one pass; the rest wait for the next pass (bounds a pass after a long grace). */
export const MAX_TICKS_PER_PASS = 1000;
/** Counting skipped ticks stops here: a 1-second schedule down for a week need not be walked tick by tick. */
export const MISSED_COUNT_CAP = 1000;

/**
 * Decides which ticks of one schedule are due at `now`. A tick after the
 * cursor is on time while it is at most `graceMs` late, and fired. An older
 * one was missed (everything was down, or too slow), and the missed policy
 * says what happens: `skip` fires none, `latest` the most recent one,
 * `all` the most recent `missedLimit`. Pure: the store decides who wins.
 */
export function planTicks(schedule: PlanInput, source: TickSource, now: number): TickPlan {
  const lateEdge = now - schedule.graceMs;
  const ticks: number[] = [];
  let skipped = 0;
  if (lateEdge > schedule.cursor) {
    const wanted = schedule.missed === 'all' ? schedule.missedLimit : schedule.missed === 'latest' ? 1 : 0;
    const missed = source.previous(lateEdge, wanted).filter((tick) => tick > schedule.cursor);
    ticks.push(...missed.reverse());
    skipped = countMissed(source, schedule.cursor, lateEdge) - missed.length;
  }
  let tick = source.next(Math.max(schedule.cursor, lateEdge));
  while (tick !== null && tick <= now && ticks.length < MAX_TICKS_PER_PASS) {
    ticks.push(tick);
    tick = source.next(tick);
  }
  return { ticks, skipped: Math.max(0, skipped) };
}

/** Ticks in (after, atOrBefore], counted up to MISSED_COUNT_CAP. */
function countMissed(source: TickSource, after: number, atOrBefore: number): number {
  let count = 0;
  for (let tick = source.next(after); tick !== null && tick <= atOrBefore; tick = source.next(tick)) {
    if (++count >= MISSED_COUNT_CAP) break;
  }
  return count;
}

import { z } from 'zod';
import { createDocket, type Docket, defineTask, type Job, ManualClock, type Store } from '../../src/index.js';
import { tempSqliteUrl } from '../helpers/tmp.js';

/** A task that does nothing; schedules in these tests enqueue it. */
export const tick = defineTask({
  name: 'tick',
  input: z.object({ label: z.string().default('tick') }),
  run: () => null,
});

/** The epoch-aligned start every test clock uses unless it says otherwise: 2030-01-01T00:00:00Z. */
export const T0 = Date.UTC(2030, 0, 1);

/** Cleanups run after each test, newest first. */
export const cleanups: (() => Promise<void> | void)[] = [];

/** Runs the registered cleanups; call from afterEach. */
export async function runCleanups(): Promise<void> {
  while (cleanups.length) await cleanups.pop()!();
}

/** A Docket on a fresh SQLite file with a ManualClock, plus the file's URL for a second instance. */
export async function clockedDocket(
  start: number = T0,
): Promise<{ docket: Docket; clock: ManualClock; url: string }> {
  const { url, cleanup } = tempSqliteUrl();
  const clock = new ManualClock(start);
  const docket = await createDocket({ store: url, tasks: [tick], clock });
  cleanups.push(cleanup, () => docket.close());
  return { docket, clock, url };
}

/** A second Docket on the same file, with its own clock (another process, another host's clock). */
export async function sibling(url: string, clock: ManualClock, store?: Store): Promise<Docket> {
  const docket = await createDocket({ store: store ?? url, tasks: [tick], clock });
  cleanups.push(() => docket.close());
  return docket;
}

/** Every job in the store, oldest first. */
export async function allJobs(docket: Docket): Promise<Job[]> {
  const jobs: Job[] = [];
  let cursor: string | undefined;
  do {
    const page = await docket.listJobs({ limit: 1000, ...(cursor ? { cursor } : {}) });
    jobs.push(...page.jobs);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return jobs.reverse();
}

/** The ticks (run times) of the jobs schedule `name` enqueued, oldest first, manual runs left out. */
export async function firedTicks(docket: Docket, name: string): Promise<number[]> {
  return (await allJobs(docket))
    .filter((job) => job.key?.startsWith(`schedule:${name}@`))
    .map((job) => job.runAt)
    .sort((a, b) => a - b);
}

/** Ticks of an interval in (after, atOrBefore]. */
export function intervalTicks(everyMs: number, after: number, atOrBefore: number): number[] {
  const ticks: number[] = [];
  for (let t = (Math.floor(after / everyMs) + 1) * everyMs; t <= atOrBefore; t += everyMs) ticks.push(t);
  return ticks;
}

/** Values that occur more than once. */
export function duplicates(values: number[]): number[] {
  const seen = new Set<number>();
  const twice = new Set<number>();
  for (const v of values) (seen.has(v) ? twice : seen).add(v);
  return [...twice];
}

/** ISO text of instants, for readable assertion diffs. */
export function iso(times: number[]): string[] {
  return times.map((t) => new Date(t).toISOString());
}

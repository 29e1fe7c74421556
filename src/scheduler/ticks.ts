import { Cron } from 'croner';
import { DocketError } from '../errors.js';

/**
 * The ticks of one schedule, as instants (ms since the epoch). Both kinds
 * are pure functions of the definition, so every process computes the same
 * ticks without talking to the others.
 */
export interface TickSource {
  /** The first tick strictly after `after`, or null when there is none. */
  next(after: number): number | null;
  /** Up to `n` most recent ticks at or before `atOrBefore`, newest first. */
  previous(atOrBefore: number, n: number): number[];
}

/** What a TickSource is built from: a cron expression in a time zone, or a fixed interval. */
export interface TickSpec {
  cron: string | null;
  everyMs: number | null;
  tz: string;
}

/**
 * Cron ticks, computed by croner in the schedule's time zone. croner's DST
 * rules are the documented ones: a fixed-time expression (single second,
 * minute and hour, e.g. `30 2 * * *`) whose time falls in a spring-forward
 * gap runs at the first valid time after the gap, and runs once when a
 * fall-back repeats its time; expressions with wildcards or steps in those
 * fields are interval-like and follow the instants (nothing in the gap, both
 * occurrences of a repeated hour).
 */
export class CronTicks implements TickSource {
  private readonly cron: Cron;
  constructor(expression: string, tz: string) {
    // '5-or-6-parts': 5 fields (minutes) or 6 (seconds first); a 7th field (years) is refused.
    this.cron = new Cron(expression, { timezone: tz, mode: '5-or-6-parts' });
  }
  next(after: number): number | null {
    return this.cron.nextRun(new Date(after))?.getTime() ?? null;
  }
  previous(atOrBefore: number, n: number): number[] {
    if (n <= 0) return [];
    // croner's previousRuns is strictly before its reference; +1 ms makes it "at or before".
    return this.cron.previousRuns(n, new Date(atOrBefore + 1)).map((date) => date.getTime());
  }
}

/**
 * Interval ticks: every multiple of the interval since the Unix epoch, so
 * `every: '1h'` fires on the hour (UTC) and `'1s'` on whole seconds,
 * whichever process computes them and whenever the schedule was declared.
 */
export class IntervalTicks implements TickSource {
  constructor(private readonly everyMs: number) {}
  next(after: number): number {
    return (Math.floor(after / this.everyMs) + 1) * this.everyMs;
  }
  previous(atOrBefore: number, n: number): number[] {
    const last = Math.floor(atOrBefore / this.everyMs);
    const ticks: number[] = [];
    for (let k = last; k > last - n && k >= 0; k--) ticks.push(k * this.everyMs);
    return ticks;
  }
}

/**
 * Builds the tick source of a definition, refusing (DOCKET_INVALID_ARGUMENT,
 * naming the field) a cron expression croner cannot parse, a time zone it
 * does not know, and an expression that never fires.
 */
export function tickSource(spec: TickSpec, now = Date.now()): TickSource {
  if (spec.everyMs !== null) return new IntervalTicks(spec.everyMs);
  let source: CronTicks;
  try {
    source = new CronTicks(spec.cron ?? '', spec.tz);
    // croner checks the time zone only when it converts a date, so convert one now.
    if (source.next(now) === null) {
      throw new DocketError('DOCKET_INVALID_ARGUMENT', `cron "${spec.cron}" never fires`, {
        details: { field: 'cron' },
      });
    }
  } catch (error) {
    if (error instanceof DocketError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const field = /time ?zone/i.test(message) ? 'tz' : 'cron';
    const value = field === 'tz' ? spec.tz : spec.cron;
    throw new DocketError('DOCKET_INVALID_ARGUMENT', `${field} "${value}" is not valid: ${message}`, {
      cause: error,
      details: { field, value },
    });
  }
  return source;
}

/** Keeps built tick sources, so a scheduler parses each expression once, not on every pass. */
export class TickCache {
  private readonly sources = new Map<string, TickSource>();
  get(spec: TickSpec): TickSource {
    const key = `${spec.cron}\u0000${spec.everyMs}\u0000${spec.tz}`;
    let source = this.sources.get(key);
    if (!source) {
      source = tickSource(spec);
      this.sources.set(key, source);
    }
    return source;
  }
}

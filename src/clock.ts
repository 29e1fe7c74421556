/**
 * Where Docket reads the time. Every store call takes `now` from a Clock, so
 * tests can move time forwards and backwards without sleeping.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; for tests and simulations. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: number | Date = Date.UTC(2030, 0, 1)) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }
  now(): number {
    return this.current;
  }
  /** Moves the clock by `ms` (negative moves it back). */
  advance(ms: number): void {
    this.current += ms;
  }
  /** Sets the clock to an absolute time. */
  set(time: number | Date): void {
    this.current = typeof time === 'number' ? time : time.getTime();
  }
}

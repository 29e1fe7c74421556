import { describeError, isMissingRoute } from '../api/http.js';
import { reportFailure, reportOk } from './connection.js';

/** Options of `startPolling`. */
export interface PollOptions<T> {
  /** Fetches the data once. */
  load: (signal: AbortSignal) => Promise<T>;
  /** Gets every result. */
  onData: (value: T) => void;
  /** Gets every failure (the poller keeps going, backing off). */
  onError?: (error: unknown) => void;
  /** Pause between the end of one load and the start of the next. */
  everyMs: number;
}

const MAX_BACKOFF_MS = 10_000;

/** A running poller. */
export interface Poller {
  stop(): void;
  /** Loads now instead of at the next tick (after an action, to show its effect at once). */
  refresh(): void;
}

/**
 * Loads, waits, loads again — never two loads at once, so a slow server is
 * never sent a pile of requests. Failures back off up to 10 s and show as
 * "reconnecting" in the connection indicator. Loads pause while the tab is
 * hidden and catch up at once when it shows again.
 */
export function startPolling<T>(options: PollOptions<T>): Poller {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let running = false;
  let again = false;

  const tick = async () => {
    if (controller.signal.aborted) return;
    if (document.hidden) return; // visibilitychange resumes it
    running = true;
    try {
      const value = await options.load(controller.signal);
      if (controller.signal.aborted) return;
      failures = 0;
      reportOk();
      options.onData(value);
    } catch (error) {
      if (controller.signal.aborted) return;
      failures++;
      // A route the server lacks (yet) is an answer, not a lost connection.
      if (!isMissingRoute(error)) reportFailure(describeError(error));
      options.onError?.(error);
    }
    const backoff =
      failures === 0 ? options.everyMs : Math.min(MAX_BACKOFF_MS, options.everyMs * 2 ** failures);
    running = false;
    timer = setTimeout(tick, again ? 0 : backoff);
    again = false;
  };
  const loadNow = () => {
    if (controller.signal.aborted) return;
    // While a load runs, ask for one more right after it rather than a second at once.
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    void tick();
  };
  const onVisible = () => {
    if (!document.hidden) loadNow();
  };
  document.addEventListener('visibilitychange', onVisible);
  void tick();
  return {
    stop() {
      controller.abort();
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    },
    refresh: loadNow,
  };
}

import { useEffect, useRef, useState } from 'preact/hooks';
import { type Poller, startPolling } from './poller.js';

/** What `usePoll` gives a component. */
export interface Polled<T> {
  data: T | undefined;
  error: unknown;
  /** Loads again now (after an action), without waiting for the next tick. */
  refresh: () => void;
}

/**
 * Keeps `load`'s result fresh by polling every `everyMs`. Restarts when
 * `key` changes (e.g. the filters of a list); keeps the last data while
 * the next load runs, so lists do not flicker.
 */
export function usePoll<T>(load: (signal: AbortSignal) => Promise<T>, everyMs: number, key = ''): Polled<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const loadRef = useRef(load);
  loadRef.current = load;
  const poller = useRef<Poller | null>(null);
  useEffect(() => {
    const started = startPolling({
      load: (signal) => loadRef.current(signal),
      onData: (value) => {
        setData(value);
        setError(undefined);
      },
      onError: setError,
      everyMs,
    });
    poller.current = started;
    return () => started.stop();
  }, [key, everyMs]);
  useEffect(() => setData(undefined), [key]);
  return { data, error, refresh: () => poller.current?.refresh() };
}

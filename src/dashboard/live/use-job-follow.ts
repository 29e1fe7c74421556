import { useEffect, useState } from 'preact/hooks';
import type { ApiJob, ApiJobState, ApiLogLine } from '../../http-client/wire.js';
import { api, DocketHttpError, describeError, pollJob } from '../api/http.js';
import { reportFailure, reportOk } from './connection.js';

/** A state change seen live in this tab (the API keeps no history of them). */
export interface SeenChange {
  state: ApiJobState;
  attempt: number;
  /** When this tab saw it. */
  at: number;
}

/** What the job page shows, kept live. */
export interface FollowedJob {
  job: ApiJob | null;
  logs: ApiLogLine[];
  seen: SeenChange[];
  error: string | null;
  /** The job was deleted (or never existed). */
  gone: boolean;
  /** Re-reads the job now (after an action). */
  restart: () => void;
}

const FINAL = new Set<ApiJobState>(['completed', 'failed', 'cancelled']);

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

interface Sink {
  job(job: ApiJob): void;
  patch(change: Partial<ApiJob>): void;
  logs(lines: ApiLogLine[]): void;
  seen(change: SeenChange): void;
  error(message: string | null): void;
  gone(): void;
}

/**
 * Follows a job for as long as the page shows it: Server-Sent Events
 * while it is unfinished (state, progress, log lines), then a long poll
 * while it is finished, so a retry from anywhere (another tab, the CLI)
 * brings the stream back.
 */
async function follow(id: string, signal: AbortSignal, sink: Sink): Promise<void> {
  const client = api();
  let failures = 0;
  while (!signal.aborted) {
    try {
      let job = await client.getJob(id, { logs: true });
      if (signal.aborted) return;
      reportOk();
      failures = 0;
      sink.error(null);
      sink.job(job);
      sink.logs(job.logs ?? []);
      if (!FINAL.has(job.state)) {
        // The first state event is where the job stands now, not a change.
        let first = true;
        for await (const event of client.follow(id, { signal })) {
          reportOk();
          if (event.type === 'state') {
            sink.patch({ state: event.state, attempt: event.attempt, maxAttempts: event.maxAttempts });
            if (!first) sink.seen({ state: event.state, attempt: event.attempt, at: Date.now() });
            first = false;
          } else if (event.type === 'progress') sink.patch({ progress: event.progress });
          else if (event.type === 'log') sink.logs([event.line]);
          else if (event.type === 'end') {
            job = event.job;
            sink.job(job);
          } else if (event.type === 'gone') {
            sink.gone();
            return;
          }
        }
        if (signal.aborted) return;
        if (!FINAL.has(job.state)) continue; // the stream stopped early: read again
      }
      // Finished: wait until it changes (a retry), then follow it again.
      let { version } = await pollJob(id, { version: null, wait: '0', signal });
      for (;;) {
        const polled = await pollJob(id, { version, wait: '30s', signal });
        reportOk();
        if (polled.changed) break;
        version = polled.version;
      }
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof DocketHttpError && error.status === 404) {
        sink.gone();
        return;
      }
      failures++;
      const message = describeError(error);
      sink.error(message);
      reportFailure(message);
      await pause(Math.min(10_000, 500 * 2 ** failures), signal);
    }
  }
}

/** The job with `id`, its logs and the changes seen live; see `follow`. */
export function useJobFollow(id: string): FollowedJob {
  const [job, setJob] = useState<ApiJob | null>(null);
  const [logs, setLogs] = useState<ApiLogLine[]>([]);
  const [seen, setSeen] = useState<SeenChange[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [gone, setGone] = useState(false);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    setJob(null);
    setLogs([]);
    setSeen([]);
    setGone(false);
  }, [id]);
  useEffect(() => {
    const controller = new AbortController();
    void follow(id, controller.signal, {
      job: setJob,
      patch: (change) => setJob((current) => (current ? { ...current, ...change } : current)),
      logs: (lines) =>
        setLogs((current) => {
          // A stream opened again sends every line from the start: keep each seq once.
          const known = new Set(current.map((l) => l.seq));
          const fresh = lines.filter((l) => !known.has(l.seq));
          return fresh.length ? [...current, ...fresh].sort((a, b) => a.seq - b.seq) : current;
        }),
      seen: (change) => setSeen((current) => [...current, change]),
      error: setError,
      gone: () => setGone(true),
    });
    return () => controller.abort();
  }, [id, generation]);

  return { job, logs, seen, error, gone, restart: () => setGeneration((n) => n + 1) };
}

import { errorFrom } from './errors.js';
import { parseSse } from './sse-parser.js';
import type { ApiJobEvent } from './wire.js';

/** A job event with the SSE id to resume after it. */
export type FollowEvent = ApiJobEvent & { eventId?: string };

/** Options of `follow`. */
export interface FollowOptions {
  /** Resume after this event id (from a previous follow). */
  lastEventId?: string;
  /** Stops following; the iterator then ends quietly. */
  signal?: AbortSignal;
  /** Consecutive failed connections (network errors, 5xx, 429) before giving up. Default 10. */
  maxReconnects?: number;
}

const TYPES = new Set(['state', 'progress', 'log', 'end', 'gone']);

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Follows one job's event stream, reconnecting with Last-Event-ID when the
 * connection drops (a restart, a proxy timeout), so no event is missed or
 * repeated. Ends after the `end` (or `gone`) event.
 */
export async function* followEvents(
  open: (headers: Record<string, string>, signal: AbortSignal) => Promise<Response>,
  options: FollowOptions = {},
): AsyncGenerator<FollowEvent> {
  let lastEventId = options.lastEventId;
  let retryMs = 1000;
  let failures = 0;
  const maxReconnects = options.maxReconnects ?? 10;
  while (!options.signal?.aborted) {
    const controller = new AbortController();
    const abort = () => controller.abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
      let response: Response;
      try {
        response = await open(headers, controller.signal);
      } catch (error) {
        if (options.signal?.aborted) return;
        if (++failures > maxReconnects) throw error;
        await sleep(retryMs * Math.min(failures, 10), options.signal);
        continue;
      }
      // 204: the end was already delivered to this cursor.
      if (response.status === 204) return;
      if (!response.ok || !response.body) {
        const error = await errorFrom(response);
        const transient = response.status >= 500 || response.status === 429;
        if (!transient || ++failures > maxReconnects) throw error;
        await sleep(Math.max(retryMs, (error.retryAfter ?? 0) * 1000), options.signal);
        continue;
      }
      failures = 0;
      try {
        for await (const message of parseSse(response.body as unknown as AsyncIterable<Uint8Array>)) {
          if (message.retry !== undefined) retryMs = message.retry;
          if (message.id !== undefined) lastEventId = message.id;
          if (!TYPES.has(message.event)) continue;
          const event = { type: message.event, ...(JSON.parse(message.data) as object) } as FollowEvent;
          if (message.id !== undefined) event.eventId = message.id;
          yield event;
          if (event.type === 'end' || event.type === 'gone') return;
        }
      } catch (error) {
        // A dropped connection ends the body with an error: reconnect below, unless asked to stop.
        if (options.signal?.aborted) return;
        if (!(error instanceof Error) || error.name === 'SyntaxError') throw error;
      }
      if (options.signal?.aborted) return;
      await sleep(retryMs, options.signal);
    } finally {
      options.signal?.removeEventListener('abort', abort);
      controller.abort();
    }
  }
}

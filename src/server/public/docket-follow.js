// docket-follow.js: follow a Docket job from a web page. No dependencies,
// no build step: `import { followJob } from '/docket-follow.js'`.
//
// It listens to the job's Server-Sent Events (state, progress, log lines,
// and the end with the result or error). Where EventSource is missing, or
// the stream cannot be opened (a proxy that buffers or blocks it), it falls
// back to long polling `GET /v1/jobs/{id}?wait=…`, which reports state,
// progress and the end (not log lines).

const FINAL = ['completed', 'failed', 'cancelled'];

/**
 * @typedef {object} FollowOptions
 * @property {string} [baseUrl] The Docket server, e.g. 'https://jobs.example.com'. Default: this page's origin.
 * @property {string} [token] The job's follow token (from the enqueue response), sent as ?access_token=.
 * @property {'auto' | 'sse' | 'poll'} [transport] Default 'auto': SSE, long polling when SSE fails.
 * @property {string} [pollWait] How long each long poll is held. Default '25s'.
 * @property {(event: {state: string, attempt: number, maxAttempts: number, error?: string, at: number}) => void} [onState]
 * @property {(progress: unknown) => void} [onProgress]
 * @property {(line: {seq: number, at: number, attempt: number, level: string, message: string}) => void} [onLog]
 * @property {(job: object) => void} [onEnd] The final job: state, result, errors.
 * @property {(transport: 'sse' | 'poll') => void} [onTransport] Which transport is in use (called again on fallback).
 */

/**
 * Follows job `id` until it is completed, failed or cancelled.
 * @param {string} id
 * @param {FollowOptions} [options]
 * @returns {{ done: Promise<object>, stop: () => void }} `done` resolves with the final job
 *   (rejects when the job cannot be read, e.g. unknown id or bad token); `stop` ends following.
 */
export function followJob(id, options = {}) {
  const base = (options.baseUrl ?? '').replace(/\/+$/, '');
  const jobUrl = `${base}/v1/jobs/${encodeURIComponent(id)}`;
  const auth = options.token ? `access_token=${encodeURIComponent(options.token)}` : '';
  let stopped = false;
  let source = null;
  let pollAbort = null;
  let resolveDone;
  let rejectDone;
  const done = new Promise((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  const seen = { state: '', progress: undefined };

  const finish = (job) => {
    if (stopped) return;
    stop();
    options.onEnd?.(job);
    resolveDone(job);
  };
  const fail = (error) => {
    if (stopped) return;
    stop();
    rejectDone(error);
  };
  function stop() {
    stopped = true;
    source?.close();
    pollAbort?.abort();
  }

  function viaSse() {
    options.onTransport?.('sse');
    let opened = false;
    let errorsBeforeOpen = 0;
    source = new EventSource(`${jobUrl}/events${auth ? `?${auth}` : ''}`);
    const on = (type, handler) =>
      source.addEventListener(type, (message) => handler(JSON.parse(message.data)));
    source.addEventListener('open', () => {
      opened = true;
      errorsBeforeOpen = 0;
    });
    on('state', (event) => {
      seen.state = `${event.state}.${event.attempt}`;
      options.onState?.(event);
    });
    on('progress', (event) => {
      seen.progress = event.progress;
      options.onProgress?.(event.progress);
    });
    on('log', (event) => options.onLog?.(event.line));
    on('end', (event) => finish(event.job));
    on('gone', () => fail(new Error(`job ${id} was deleted`)));
    source.addEventListener('error', () => {
      if (stopped) return;
      // CLOSED: the server refused the stream (an HTTP error); never opened: something in between blocks it.
      const refused = source.readyState === EventSource.CLOSED;
      if (!opened) errorsBeforeOpen++;
      if (refused || errorsBeforeOpen >= 2) {
        source.close();
        if (options.transport === 'sse') fail(new Error(`cannot open the event stream of job ${id}`));
        else viaPolling();
      }
      // Otherwise EventSource reconnects by itself, sending Last-Event-ID.
    });
  }

  async function viaPolling() {
    options.onTransport?.('poll');
    let version = '';
    let failures = 0;
    const wait = options.pollWait ?? '25s';
    while (!stopped) {
      pollAbort = new AbortController();
      let response;
      try {
        response = await fetch(`${jobUrl}?wait=${encodeURIComponent(wait)}${auth ? `&${auth}` : ''}`, {
          headers: version ? { 'if-none-match': `"${version}"` } : {},
          signal: pollAbort.signal,
          cache: 'no-store',
        });
      } catch (error) {
        if (stopped) return;
        if (++failures > 10) return fail(error);
        await pause(Math.min(30_000, 500 * 2 ** failures));
        continue;
      }
      if (response.status === 304) continue;
      if (!response.ok) {
        let body = null;
        try {
          body = await response.json();
        } catch {}
        const retryAfter = Number(response.headers.get('retry-after'));
        if ((response.status === 429 || response.status >= 500) && ++failures <= 10) {
          await pause(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 1000 * failures);
          continue;
        }
        const error = new Error(body?.error?.message ?? `HTTP ${response.status}`);
        error.code = body?.error?.code;
        error.status = response.status;
        return fail(error);
      }
      failures = 0;
      version = (response.headers.get('etag') ?? '').replace(/^W\//, '').replace(/"/g, '');
      const job = await response.json();
      const key = `${job.state}.${job.attempt}`;
      if (key !== seen.state) {
        seen.state = key;
        const last = job.errors[job.errors.length - 1];
        options.onState?.({
          state: job.state,
          attempt: job.attempt,
          maxAttempts: job.maxAttempts,
          ...(last && last.attempt === job.attempt && job.state !== 'active' ? { error: last.message } : {}),
          at: job.finishedAt ?? job.startedAt ?? job.createdAt,
        });
      }
      if (JSON.stringify(job.progress) !== JSON.stringify(seen.progress ?? null)) {
        seen.progress = job.progress;
        options.onProgress?.(job.progress);
      }
      if (FINAL.includes(job.state)) return finish(job);
    }
  }

  function pause(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  const useSse = options.transport !== 'poll' && typeof EventSource === 'function';
  if (options.transport === 'sse' && !useSse) fail(new Error('EventSource is not available here'));
  else if (useSse) viaSse();
  else viaPolling();
  return { done, stop };
}

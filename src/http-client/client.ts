import { errorFrom } from './errors.js';
import { type FollowEvent, type FollowOptions, followEvents } from './follow.js';
import type {
  ApiBulkAction,
  ApiBulkResult,
  ApiEnqueuedJob,
  ApiEnqueueRequest,
  ApiJob,
  ApiJobCount,
  ApiJobFilter,
  ApiJobPage,
  ApiJobState,
  ApiLogLine,
  ApiQueue,
  ApiQueueCapacity,
  ApiQueueSettings,
  ApiSession,
  ApiStatsBucket,
  ApiWorker,
} from './wire.js';

/** How to reach a Docket server. */
export interface DocketClientOptions {
  /** The server's base URL, e.g. `http://docket.internal:3000`. */
  url: string;
  /** A bearer token: admin to enqueue and operate, read to look. */
  token?: string;
  /** A fetch implementation. Default: the global fetch. */
  fetch?: typeof fetch;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
}

/** Options of `enqueue`, besides the task and input. */
export type ClientEnqueueOptions = Omit<ApiEnqueueRequest, 'task' | 'input'> & {
  /** Sent as Idempotency-Key: a retried request returns the job the first one made. */
  idempotencyKey?: string;
};

/** Filters of `listJobs`. */
export interface ClientListOptions {
  state?: ApiJobState | ApiJobState[];
  queue?: string;
  task?: string;
  key?: string;
  /** Jobs whose input contains this text (case-insensitive), e.g. an email address. */
  text?: string;
  limit?: number;
  cursor?: string;
}

/** A query string from filters: arrays comma-joined, undefined left out. */
function queryOf(options: object): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue;
    params.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  return params.size > 0 ? `?${params}` : '';
}

/** Something with a task name: a task object made by `defineTask` carries its types along. */
export interface NamedTask<Input, Result> {
  readonly name: string;
  readonly __types?: { input: Input; result: Result };
}

/**
 * A small typed client for Docket's HTTP API, for services that hand work
 * to Docket over the network. Errors are DocketHttpError with the server's
 * stable code (`DOCKET_QUEUE_FULL` with `retryAfter`, `DOCKET_INVALID_INPUT`
 * with `details.issues`, …).
 */
export class DocketClient {
  private readonly base: string;
  private readonly fetch: typeof fetch;
  private readonly headers: Record<string, string>;

  constructor(options: DocketClientOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.headers = {
      ...options.headers,
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    };
  }

  private async request<T>(
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string>; ok?: number[] } = {},
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const headers: Record<string, string> = { ...this.headers, ...init.headers };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.fetch(`${this.base}${path}`, {
      method,
      headers,
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    if (!response.ok && !(init.ok ?? []).includes(response.status)) throw await errorFrom(response);
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : null) as T,
      headers: response.headers,
    };
  }

  /** Enqueues a job; resolves once it is stored. `duplicate` says an idempotency or unique key matched. */
  async enqueue<Input, Result = unknown>(
    task: string | NamedTask<Input, Result>,
    input: Input,
    options: ClientEnqueueOptions = {},
  ): Promise<ApiEnqueuedJob<Input, Result>> {
    const { idempotencyKey, ...rest } = options;
    const name = typeof task === 'string' ? task : task.name;
    const { body } = await this.request<ApiEnqueuedJob<Input, Result>>('POST', '/v1/jobs', {
      body: { task: name, input, ...rest },
      ...(idempotencyKey === undefined ? {} : { headers: { 'idempotency-key': idempotencyKey } }),
    });
    return body;
  }

  /** Enqueues many jobs in one transaction: all are stored, or none. */
  async enqueueMany(jobs: ApiEnqueueRequest[]): Promise<ApiEnqueuedJob[]> {
    const { body } = await this.request<{ jobs: ApiEnqueuedJob[] }>('POST', '/v1/jobs:batch', {
      body: { jobs },
    });
    return body.jobs;
  }

  /** The job; with `logs`, its log lines too. */
  async getJob<Input = unknown, Result = unknown>(
    id: string,
    options: { logs?: boolean } = {},
  ): Promise<ApiJob<Input, Result> & { logs?: ApiLogLine[] }> {
    const query = options.logs ? '?logs=true' : '';
    return (await this.request<ApiJob<Input, Result>>('GET', `/v1/jobs/${encodeURIComponent(id)}${query}`))
      .body;
  }

  /**
   * Long poll: resolves when the job is final, or — given the `version` of
   * a previous call — when it changed, or after `wait` (server-capped) with
   * the job as it is. For clients that cannot hold a stream open.
   */
  async pollJob(
    id: string,
    options: { wait?: string; version?: string } = {},
  ): Promise<{ job: ApiJob | null; version: string }> {
    const headers: Record<string, string> = options.version
      ? { 'if-none-match': `"${options.version}"` }
      : {};
    const path = `/v1/jobs/${encodeURIComponent(id)}?wait=${encodeURIComponent(options.wait ?? '30s')}`;
    const { status, body, headers: got } = await this.request<ApiJob>('GET', path, { headers, ok: [304] });
    const version = (got.get('etag') ?? '').replace(/^W\//, '').replace(/"/g, '');
    return { job: status === 304 ? null : body, version };
  }

  /** Jobs newest first; pass `nextCursor` back as `cursor` for the next page. */
  async listJobs(options: ClientListOptions = {}): Promise<ApiJobPage> {
    return (await this.request<ApiJobPage>('GET', `/v1/jobs${queryOf(options)}`)).body;
  }

  /** How many jobs match the filter; with `action`, only those it applies to (what a bulk request would touch). */
  async countJobs(filter: ApiJobFilter = {}, action?: ApiBulkAction): Promise<ApiJobCount> {
    return (await this.request<ApiJobCount>('GET', `/v1/jobs:count${queryOf({ ...filter, action })}`)).body;
  }

  /**
   * Retries, cancels or deletes jobs by ids (at most 1000) or by filter.
   * A filter is handled up to 1000 jobs per call: repeat while `more`.
   */
  async bulk(
    action: ApiBulkAction,
    target: { ids: string[] } | { filter: ApiJobFilter },
  ): Promise<ApiBulkResult> {
    return (await this.request<ApiBulkResult>('POST', `/v1/jobs:${action}`, { body: target })).body;
  }

  /** Cancels a job (a running one is asked to stop; it ends cancelled when its handler returns). */
  async cancel(id: string): Promise<ApiJob> {
    return (await this.request<ApiJob>('POST', `/v1/jobs/${encodeURIComponent(id)}/cancel`)).body;
  }

  /** Runs a failed or cancelled job again. */
  async retry(id: string): Promise<ApiJob> {
    return (await this.request<ApiJob>('POST', `/v1/jobs/${encodeURIComponent(id)}/retry`)).body;
  }

  /** Deletes a job that is not running. */
  async deleteJob(id: string): Promise<void> {
    await this.request('DELETE', `/v1/jobs/${encodeURIComponent(id)}`);
  }

  /** Queues with their settings and counts. */
  async queues(): Promise<ApiQueue[]> {
    return (await this.request<{ queues: ApiQueue[] }>('GET', '/v1/queues')).body.queues;
  }

  /** Pauses a queue on every worker. */
  async pauseQueue(name: string): Promise<ApiQueueSettings> {
    return (await this.request<ApiQueueSettings>('POST', `/v1/queues/${encodeURIComponent(name)}/pause`))
      .body;
  }

  /** Resumes a paused queue. */
  async resumeQueue(name: string): Promise<ApiQueueSettings> {
    return (await this.request<ApiQueueSettings>('POST', `/v1/queues/${encodeURIComponent(name)}/resume`))
      .body;
  }

  /** Changes a queue's settings; `backlogLimit: null` removes the limit. */
  async setQueue(
    name: string,
    settings: { backlogLimit?: number | null; paused?: boolean },
  ): Promise<ApiQueueSettings> {
    return (
      await this.request<ApiQueueSettings>('PATCH', `/v1/queues/${encodeURIComponent(name)}`, {
        body: settings,
      })
    ).body;
  }

  /** Live workers on every host. */
  async workers(): Promise<ApiWorker[]> {
    return (await this.request<{ workers: ApiWorker[] }>('GET', '/v1/workers')).body.workers;
  }

  /** What the token may do: `admin`, `read`, or `open` on a server without tokens. */
  async session(): Promise<ApiSession> {
    return (await this.request<ApiSession>('GET', '/v1/session')).body;
  }

  /** The capacity model's report per queue (arrival rate, run and wait times, recommended concurrency). */
  async capacity(
    options: { queue?: string; targetWait?: string; window?: string } = {},
  ): Promise<ApiQueueCapacity[]> {
    return (await this.request<{ queues: ApiQueueCapacity[] }>('GET', `/v1/capacity${queryOf(options)}`)).body
      .queues;
  }

  /** Per-minute statistics of every queue (or one) since `since` (default: the last hour), oldest first. */
  async stats(options: { queue?: string; since?: number } = {}): Promise<ApiStatsBucket[]> {
    return (await this.request<{ buckets: ApiStatsBucket[] }>('GET', `/v1/stats${queryOf(options)}`)).body
      .buckets;
  }

  /** True when the server answers and its store is reachable. */
  async ready(): Promise<boolean> {
    try {
      await this.request('GET', '/readyz');
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Follows a job over Server-Sent Events: state changes, progress, log
   * lines, and finally `end` with the job's result or errors. Reconnects
   * on its own after a dropped connection, resuming where it left off.
   */
  follow(id: string, options: FollowOptions = {}): AsyncGenerator<FollowEvent> {
    const path = `${this.base}/v1/jobs/${encodeURIComponent(id)}/events`;
    return followEvents(
      (headers, signal) => this.fetch(path, { headers: { ...this.headers, ...headers }, signal }),
      options,
    );
  }

  /** Follows a job until it is final and returns it; `onEvent` sees every event on the way. */
  async waitFor<Result = unknown>(
    id: string,
    options: FollowOptions & { onEvent?: (event: FollowEvent) => void } = {},
  ): Promise<ApiJob<unknown, Result>> {
    for await (const event of this.follow(id, options)) {
      options.onEvent?.(event);
      if (event.type === 'end') return event.job as ApiJob<unknown, Result>;
    }
    // The stream ended without `end`: deleted, resumed after the end, or stopped.
    return this.getJob<unknown, Result>(id);
  }
}

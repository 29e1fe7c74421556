// The JSON shapes of Docket's HTTP API, shared by the server and the typed
// client. Types only: importing this module pulls in no server code.
import type { QueueCapacity } from '../capacity/model.js';
import type { StatsBucket } from '../store/store.js';

/** Where a job stands (the same states as the library's JobState). */
export type ApiJobState = 'scheduled' | 'available' | 'active' | 'completed' | 'failed' | 'cancelled';

/** One failed attempt as the API shows it (stack traces stay on the server unless enabled). */
export interface ApiAttemptError {
  attempt: number;
  code?: string;
  message: string;
  stack?: string;
  at: number;
  workerId?: string;
}

/** A job as the API returns it. Times are ms since the epoch. */
export interface ApiJob<Input = unknown, Result = unknown> {
  id: string;
  task: string;
  queue: string;
  state: ApiJobState;
  input: Input;
  priority: number;
  runAt: number;
  attempt: number;
  maxAttempts: number;
  key: string | null;
  timeoutMs: number | null;
  progress: unknown;
  result: Result | null;
  errors: ApiAttemptError[];
  workerId: string | null;
  leaseExpiresAt: number | null;
  cancelRequested: boolean;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** What `POST /v1/jobs` returns: the job, whether it already existed, and a token to follow it. */
export interface ApiEnqueuedJob<Input = unknown, Result = unknown> extends ApiJob<Input, Result> {
  /** True when the Idempotency-Key or unique key matched a job already there (HTTP 200 instead of 202). */
  duplicate: boolean;
  /** Grants read access to this one job (GET and events), e.g. for a browser. Present when auth is on. */
  followToken?: string;
}

/** The body of `POST /v1/jobs` (and one item of `POST /v1/jobs:batch`). */
export interface ApiEnqueueRequest<Input = unknown> {
  task: string;
  input?: Input;
  queue?: string;
  /** Run after this long: ms, or `'30s'`, `'5m'`… */
  delay?: number | string;
  /** Run at this time: ms since the epoch or an ISO 8601 date-time. */
  runAt?: number | string;
  priority?: number;
  /** Unique key: while a job with it is unfinished, enqueue returns that job. */
  key?: string;
  attempts?: number;
  timeout?: number | string;
}

/** One page of `GET /v1/jobs`. */
export interface ApiJobPage {
  jobs: ApiJob[];
  nextCursor: string | null;
}

/** A log line of a job, with its sequence number. */
export interface ApiLogLine {
  seq: number;
  at: number;
  attempt: number;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

/** Job counts per state. */
export type ApiCounts = Record<ApiJobState, number>;

/** A queue with its settings and counts. */
export interface ApiQueue {
  name: string;
  paused: boolean;
  backlogLimit: number | null;
  counts: ApiCounts;
  oldestAvailableAt: number | null;
  finishedLastMinute: number;
}

/** A queue's settings after a change. */
export interface ApiQueueSettings {
  name: string;
  paused: boolean;
  backlogLimit: number | null;
}

/** A live worker. */
export interface ApiWorker {
  id: string;
  host: string;
  pid: number;
  queues: string[];
  concurrency: number;
  startedAt: number;
  heartbeatAt: number;
  info: Record<string, unknown>;
}

/** One problem with one field of a request. */
export interface ApiIssue {
  /** Dotted path of the field, e.g. `input.email`, `limit`, `jobs.2.task`. */
  path: string;
  message: string;
  /** Which part of the request: body, query, path or header. */
  in?: 'body' | 'query' | 'path' | 'header';
}

/** Every error response: `{ error: { code, message, details } }`. */
export interface ApiErrorBody {
  error: {
    /** Stable code, e.g. DOCKET_INVALID_INPUT, DOCKET_QUEUE_FULL, DOCKET_UNAUTHORIZED. */
    code: string;
    message: string;
    details: Record<string, unknown>;
  };
}

/**
 * Events of `GET /v1/jobs/{id}/events` (Server-Sent Events). The SSE event
 * name is the `type`; `data` is the JSON of the rest.
 */
export type ApiJobEvent =
  | { type: 'state'; state: ApiJobState; attempt: number; maxAttempts: number; error?: string; at: number }
  | { type: 'progress'; progress: unknown }
  | { type: 'log'; line: ApiLogLine }
  /** The job is final; carries the whole job (its result or errors). The server closes the stream after it. */
  | { type: 'end'; job: ApiJob }
  /** The job was deleted while followed. */
  | { type: 'gone'; id: string };

/** What `GET /v1/session` says the presented token may do. `open`: the server has no tokens. */
export interface ApiSession {
  role: 'admin' | 'read' | 'open';
}

/** The job filters of `GET /v1/jobs`, `GET /v1/jobs:count` and the bulk routes. */
export interface ApiJobFilter {
  state?: ApiJobState[];
  queue?: string;
  task?: string;
  key?: string;
  /** Jobs whose input contains this text (case-insensitive). */
  text?: string;
}

/** What can be done to many jobs at once. */
export type ApiBulkAction = 'retry' | 'cancel' | 'delete';

/** The answer of `POST /v1/jobs:retry|cancel|delete`. */
export interface ApiBulkResult {
  /** Ids found, or jobs matching the filter in a state the action applies to. */
  matched: number;
  /** Jobs the action was applied to. */
  changed: number;
  /** Matched jobs left alone: their state does not allow the action. */
  skipped: number;
  /** Ids with no job. */
  notFound: number;
  /** A filter matched more jobs than one request handles: send it again for the rest. */
  more: boolean;
}

/** The answer of `GET /v1/jobs:count`. */
export interface ApiJobCount {
  count: number;
  /** Counting stopped at the server's cap: at least `count`. */
  capped: boolean;
}

/** The capacity model's report on one queue (`GET /v1/capacity`): the library's QueueCapacity, as JSON. */
export type ApiQueueCapacity = QueueCapacity;

/**
 * One queue's measurements in one minute (`GET /v1/stats`), from every
 * host's workers. Histograms are log buckets, `{ bucketIndex: count }`
 * (see src/capacity/histogram.ts).
 */
export type ApiStatsBucket = StatsBucket;

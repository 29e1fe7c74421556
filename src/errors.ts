/**
 * Every error Docket raises on purpose is a DocketError with a stable `code`,
 * so callers (and the HTTP API) can branch on it without parsing messages.
 */
export type DocketErrorCode =
  | 'DOCKET_INVALID_INPUT'
  | 'DOCKET_INVALID_ARGUMENT'
  | 'DOCKET_UNKNOWN_TASK'
  | 'DOCKET_PAYLOAD_TOO_LARGE'
  | 'DOCKET_NOT_FOUND'
  | 'DOCKET_INVALID_STATE'
  | 'DOCKET_TIMEOUT'
  | 'DOCKET_CANCELLED'
  | 'DOCKET_SHUTDOWN'
  | 'DOCKET_LEASE_LOST'
  | 'DOCKET_QUEUE_FULL'
  | 'DOCKET_STORE_UNAVAILABLE'
  | 'DOCKET_CLOSED'
  | 'DOCKET_TASK_LOAD_FAILED'
  | 'DOCKET_RUNNER_CRASHED';

/** One problem with one field of an input, as a validator reported it. */
export interface FieldIssue {
  /** Dotted path of the field, e.g. `user.email`; empty for the input as a whole. */
  path: string;
  message: string;
}

/** The error class for everything Docket refuses or reports on purpose. */
export class DocketError extends Error {
  /** Stable, documented code; safe to branch on. */
  readonly code: DocketErrorCode;
  /** Structured context: field issues, known task names, retry hints. */
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: DocketErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DocketError';
    this.code = code;
    this.details = options.details;
  }
}

/** Raised by enqueue when a queue's backlog limit is reached. */
export class QueueFullError extends DocketError {
  /** Seconds after which a retry is likely to be accepted. */
  readonly retryAfter: number;
  constructor(queue: string, limit: number, retryAfter: number) {
    super(
      'DOCKET_QUEUE_FULL',
      `queue "${queue}" holds its backlog limit of ${limit} waiting jobs; retry in about ${retryAfter}s`,
      { details: { queue, limit, retryAfter } },
    );
    this.retryAfter = retryAfter;
  }
}

/** True when `error` is a DocketError with the given code. */
export function isDocketError(error: unknown, code?: DocketErrorCode): error is DocketError {
  return error instanceof DocketError && (code === undefined || error.code === code);
}

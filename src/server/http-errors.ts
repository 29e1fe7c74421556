import { DocketError, type DocketErrorCode, QueueFullError } from '../errors.js';
import type { ApiErrorBody } from '../http-client/wire.js';

/**
 * Codes only the HTTP layer raises, on top of the library's DocketErrorCode.
 * Stable like them: clients branch on these.
 */
export type HttpOnlyErrorCode =
  | 'DOCKET_UNAUTHORIZED'
  | 'DOCKET_FORBIDDEN'
  | 'DOCKET_RATE_LIMITED'
  | 'DOCKET_ROUTE_NOT_FOUND'
  | 'DOCKET_METHOD_NOT_ALLOWED'
  | 'DOCKET_MALFORMED_JSON'
  | 'DOCKET_UNSUPPORTED_MEDIA_TYPE'
  | 'DOCKET_INTERNAL';

/** Every code an HTTP error body can carry. */
export type HttpErrorCode = DocketErrorCode | HttpOnlyErrorCode;

/** An error the server answers with on purpose: a status, a stable code and details. */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: HttpErrorCode;
  readonly details: Record<string, unknown>;
  /** Seconds, sent as Retry-After. */
  readonly retryAfter: number | undefined;
  constructor(
    statusCode: number,
    code: HttpErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; retryAfter?: number } = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.code = code;
    this.details = options.details ?? {};
    this.retryAfter = options.retryAfter;
  }
}

/** HTTP status for each library code. Codes missing here are server faults (500). */
const STATUS: Partial<Record<DocketErrorCode, number>> = {
  DOCKET_INVALID_INPUT: 400,
  DOCKET_INVALID_ARGUMENT: 400,
  DOCKET_UNKNOWN_TASK: 404,
  DOCKET_NOT_FOUND: 404,
  DOCKET_PAYLOAD_TOO_LARGE: 413,
  DOCKET_INVALID_STATE: 409,
  DOCKET_QUEUE_FULL: 429,
  DOCKET_STORE_UNAVAILABLE: 503,
  DOCKET_CLOSED: 503,
  DOCKET_SHUTDOWN: 503,
  DOCKET_TIMEOUT: 504,
};

/** How long a client should wait before retrying when the store is unreachable. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/**
 * Driver errors that mean "the store cannot be reached right now" rather
 * than "this request is wrong": a busy or locked SQLite file, a closed
 * handle, a refused or dropped PostgreSQL connection.
 */
function looksUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = String((error as { code?: unknown }).code ?? '');
  if (/^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|READONLY)/.test(code)) return true;
  if (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', '57P01', '57P03', '53300'].includes(
      code,
    )
  ) {
    return true;
  }
  return /database connection is not open|Connection terminated|connection timeout/i.test(error.message);
}

/**
 * Turns anything thrown while serving a request into an HttpError. Library
 * errors keep their code; unknown errors become DOCKET_INTERNAL with a
 * generic message, so no internals (or stack traces) reach the client.
 */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof QueueFullError) {
    return new HttpError(429, error.code, error.message, {
      details: error.details ?? {},
      retryAfter: error.retryAfter,
    });
  }
  if (error instanceof DocketError) {
    const status = STATUS[error.code] ?? 500;
    const details = withIssues(error.details ?? {}, error.message);
    if (status === 503) {
      return new HttpError(503, error.code, error.message, {
        details,
        retryAfter: STORE_RETRY_AFTER_SECONDS,
      });
    }
    if (status === 500) return internal();
    return new HttpError(status, error.code, error.message, { details });
  }
  if (looksUnavailable(error)) {
    return new HttpError(503, 'DOCKET_STORE_UNAVAILABLE', 'the job store is unreachable; retry shortly', {
      retryAfter: STORE_RETRY_AFTER_SECONDS,
    });
  }
  return internal();
}

function internal(): HttpError {
  return new HttpError(500, 'DOCKET_INTERNAL', 'internal error; the server log has the details');
}

/**
 * Library errors name one field as `details.field`; HTTP clients get every
 * field problem the same way, as `details.issues`, so they need one parser.
 */
function withIssues(details: Record<string, unknown>, message: string): Record<string, unknown> {
  if (Array.isArray(details.issues) || typeof details.field !== 'string') return details;
  return { ...details, issues: [{ path: details.field, message }] };
}

/** The JSON body for an error. */
export function errorBody(error: HttpError): ApiErrorBody {
  return { error: { code: error.code, message: error.message, details: error.details } };
}

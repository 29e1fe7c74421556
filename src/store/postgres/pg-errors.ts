import { DocketError } from '../../errors.js';

/** Socket-level error codes that mean "the database cannot be reached right now". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
]);

/** SQLSTATEs of a server going away or refusing connections (class 08, admin/crash shutdown, too many clients). */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);

/** Messages pg uses for a connection that died or never came up; it gives these no code. */
const MESSAGES = [
  /connection terminated/i,
  /connection timeout/i,
  /timeout exceeded when trying to connect/i,
  /not queryable/i,
  /client was closed/i,
  /query read timeout/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

/** True when `error` says the store is unreachable, not that the statement was wrong. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith('08')) return true;
  }
  return MESSAGES.some((pattern) => pattern.test(error.message));
}

/** True for errors that a retry of the same transaction can fix (deadlock, serialization failure). */
export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

/**
 * Maps a connection failure to DOCKET_STORE_UNAVAILABLE (the HTTP API turns
 * it into 503); any other error passes through unchanged.
 */
export function mapPgError(error: unknown): unknown {
  if (error instanceof DocketError || !isConnectionError(error)) return error;
  return new DocketError(
    'DOCKET_STORE_UNAVAILABLE',
    `PostgreSQL is unreachable (${(error as Error).message}); the call can be retried once it is back`,
    { cause: error },
  );
}

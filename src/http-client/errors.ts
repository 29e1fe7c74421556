import type { ApiErrorBody } from './wire.js';

/** An error response from a Docket server, with its stable code. */
export class DocketHttpError extends Error {
  /** The HTTP status. */
  readonly status: number;
  /** The stable code from the body, e.g. DOCKET_QUEUE_FULL; DOCKET_HTTP_<status> when the body had none. */
  readonly code: string;
  readonly details: Record<string, unknown>;
  /** Seconds from Retry-After (429, 503), when sent. */
  readonly retryAfter: number | undefined;

  constructor(status: number, body: unknown, retryAfter: number | undefined) {
    const error = (body as Partial<ApiErrorBody> | null)?.error;
    super(error?.message ?? `HTTP ${status}`);
    this.name = 'DocketHttpError';
    this.status = status;
    this.code = error?.code ?? `DOCKET_HTTP_${status}`;
    this.details = error?.details ?? {};
    this.retryAfter = retryAfter;
  }
}

/** Builds the error for a failed response (reads its body). */
export async function errorFrom(response: Response): Promise<DocketHttpError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (e.g. a proxy's HTML page): the status says enough.
  }
  const header = response.headers.get('retry-after');
  const seconds = header === null ? undefined : Number(header);
  return new DocketHttpError(
    response.status,
    body,
    seconds !== undefined && Number.isFinite(seconds) ? seconds : undefined,
  );
}

import { DocketClient } from '../../http-client/client.js';
import { DocketHttpError, errorFrom } from '../../http-client/errors.js';
import { getToken, session } from './session.js';

export { DocketHttpError };

/**
 * fetch, watching for 401: a token that stops working (rotated, revoked)
 * sends the user back to the token prompt instead of showing errors.
 */
const watchedFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if (response.status === 401 && session.get().status === 'ready') {
    session.set({ status: 'needs-token', refused: getToken() !== null });
  }
  return response;
};

function headers(): Record<string, string> {
  const token = getToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** The typed HTTP client of the API, with the current token. Cheap: make one per call. */
export function api(): DocketClient {
  const token = getToken();
  return new DocketClient({
    url: location.origin,
    fetch: watchedFetch,
    ...(token ? { token } : {}),
  });
}

/**
 * A JSON request for routes the typed client does not cover yet
 * (schedules, capacity). Throws DocketHttpError like the client.
 */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, headers: headers() };
  if (body !== undefined) {
    init.headers = { ...headers(), 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const response = await watchedFetch(path, init);
  if (!response.ok) throw await errorFrom(response);
  const text = await response.text();
  return (text ? JSON.parse(text) : null) as T;
}

/** True for the 404 a server answers for a route it does not have (yet). */
export function isMissingRoute(error: unknown): boolean {
  return error instanceof DocketHttpError && (error.status === 404 || error.status === 405);
}

/** A short message for an error, for notices. */
export function describeError(error: unknown): string {
  if (error instanceof DocketHttpError) return `${error.message} (${error.code})`;
  if (error instanceof TypeError) return 'the server did not answer (network error)';
  return error instanceof Error ? error.message : String(error);
}

/**
 * Long poll of one job: resolves when it differs from `version` (or is
 * final, without a version), or after `wait`. Unlike the typed client's
 * pollJob it can be aborted, which matters in a browser: a hanging request
 * holds one of the six connections a page may have open to the server.
 */
export async function pollJob(
  id: string,
  options: { version: string | null; wait: string; signal: AbortSignal },
): Promise<{ changed: boolean; version: string }> {
  const init: RequestInit = { headers: headers(), signal: options.signal, cache: 'no-store' };
  if (options.version) init.headers = { ...headers(), 'if-none-match': `"${options.version}"` };
  const path = `/v1/jobs/${encodeURIComponent(id)}?wait=${encodeURIComponent(options.wait)}`;
  const response = await watchedFetch(path, init);
  if (response.status !== 304 && !response.ok) throw await errorFrom(response);
  await response.body?.cancel();
  const version = (response.headers.get('etag') ?? '').replace(/^W\//, '').replace(/"/g, '');
  return { changed: response.status !== 304 && version !== options.version, version };
}

import { DocketHttpError } from '../../http-client/errors.js';
import { api } from './http.js';
import { getToken, type Role, session } from './session.js';

/**
 * Finds out whether the token (if any) may write. There is no "who am I"
 * route, so it sends an enqueue with an empty body: the auth hook runs
 * before validation, so a read token gets 403 and an admin token gets 400
 * for the missing task. Nothing is ever stored.
 */
async function probeRole(): Promise<Role> {
  const token = getToken();
  if (token === null) return 'open';
  const response = await fetch('/v1/jobs', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  });
  return response.status === 403 ? 'read' : 'admin';
}

/**
 * Checks the stored token (or the lack of one) against the server and sets
 * the session: ready with a role, asking for a token, or unreachable.
 */
export async function signIn(): Promise<void> {
  session.set({ status: 'checking' });
  try {
    await api().queues();
    session.set({ status: 'ready', role: await probeRole() });
  } catch (error) {
    if (error instanceof DocketHttpError && error.status === 401) {
      session.set({ status: 'needs-token', refused: getToken() !== null });
    } else {
      session.set({
        status: 'unreachable',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

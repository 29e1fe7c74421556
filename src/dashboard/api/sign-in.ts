import { DocketHttpError } from '../../http-client/errors.js';
import { api } from './http.js';
import { getToken, session } from './session.js';

/**
 * Checks the stored token (or the lack of one) against the server with
 * `GET /v1/session` and sets the session: ready with the role the server
 * reports, asking for a token, or unreachable.
 */
export async function signIn(): Promise<void> {
  session.set({ status: 'checking' });
  try {
    const { role } = await api().session();
    session.set({ status: 'ready', role });
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

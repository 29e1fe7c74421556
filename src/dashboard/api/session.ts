import { createStore } from '../lib/store.js';

/**
 * Who the dashboard is acting as:
 * - `open`: the server has no tokens (loopback only); every action allowed;
 * - `admin`: an admin token; every action allowed;
 * - `read`: a read-only token; everything visible, actions disabled.
 */
export type Role = 'open' | 'admin' | 'read';

/** Where sign-in stands. */
export type SessionState =
  | { status: 'checking' }
  | { status: 'needs-token'; refused: boolean }
  | { status: 'unreachable'; message: string }
  | { status: 'ready'; role: Role };

const KEY = 'docket.token';

/** The session: a store the shell renders from. */
export const session = createStore<SessionState>({ status: 'checking' });

/**
 * The bearer token, kept in sessionStorage: it lasts as long as the tab and
 * is never written to disk for other tabs or later visits.
 */
export function getToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/** Stores (or, with null, forgets) the bearer token. */
export function setToken(token: string | null): void {
  try {
    if (token === null) sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, token);
  } catch {
    // Storage disabled (private mode): the token then lives for this page only.
  }
}

/** True when the current role may change things (retry, cancel, pause…). */
export function canAct(state: SessionState): boolean {
  return state.status === 'ready' && state.role !== 'read';
}

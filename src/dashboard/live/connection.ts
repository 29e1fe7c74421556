import { createStore } from '../lib/store.js';

/** How the live view is doing: what the connection indicator shows. */
export interface ConnectionState {
  status: 'connecting' | 'live' | 'reconnecting';
  /** When data last arrived, ms since the epoch. */
  lastOk: number | null;
  /** The last failure's message, while reconnecting. */
  error: string | null;
}

/** The one connection state every live source reports to. */
export const connection = createStore<ConnectionState>({ status: 'connecting', lastOk: null, error: null });

/** A live source received data. */
export function reportOk(): void {
  connection.set({ status: 'live', lastOk: Date.now(), error: null });
}

/** A live source failed to reach the server; it retries by itself. */
export function reportFailure(message: string): void {
  const current = connection.get();
  if (current.status === 'reconnecting' && current.error === message) return;
  connection.set({ status: 'reconnecting', lastOk: current.lastOk, error: message });
}

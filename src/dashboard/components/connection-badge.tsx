import { duration } from '../lib/format.js';
import { useNow } from '../lib/now.js';
import { useStore } from '../lib/store.js';
import { connection } from '../live/connection.js';

/**
 * The connection indicator: live, reconnecting (with why), or connecting.
 * Text as well as colour, and announced politely to screen readers.
 */
export function ConnectionBadge() {
  const state = useStore(connection);
  const now = useNow();
  const age = state.lastOk === null ? null : now - state.lastOk;
  // Polls come every second; data older than 5 s means updates have stalled.
  const stale = state.status === 'live' && age !== null && age > 5000;
  const status = stale ? 'stale' : state.status;
  const text =
    status === 'live'
      ? 'Live'
      : status === 'stale'
        ? `Stalled, updated ${duration(age ?? 0)} ago`
        : status === 'reconnecting'
          ? 'Reconnecting…'
          : 'Connecting…';
  const title = state.error
    ? `Last error: ${state.error}`
    : state.lastOk
      ? `Last update ${new Date(state.lastOk).toLocaleTimeString()}`
      : '';
  return (
    <output class={`connection connection-${status}`} data-status={status} title={title} aria-live="polite">
      <span class="dot" aria-hidden="true" />
      {text}
    </output>
  );
}

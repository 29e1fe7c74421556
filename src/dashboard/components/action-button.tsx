import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { describeError } from '../api/http.js';
import { canAct, session } from '../api/session.js';
import { useStore } from '../lib/store.js';

/** Props of ActionButton. */
export interface ActionButtonProps {
  /** Runs on click; the button is busy until it settles. */
  action: () => Promise<unknown>;
  children: ComponentChildren;
  /** Disabled for reasons other than the role (e.g. the job's state). */
  disabled?: boolean;
  /** Why it is disabled, shown as its title. */
  reason?: string;
  variant?: 'primary' | 'danger' | 'default';
  /** Gets the error, when the action fails. */
  onError?: (message: string) => void;
  /** Accessible name, when the text alone is ambiguous (e.g. "Pause" beside many queues). */
  label?: string;
}

/**
 * A button that changes something. Disabled for the read-only token, with
 * a title saying so (the API would refuse anyway), and while it runs.
 */
export function ActionButton(props: ActionButtonProps) {
  const allowed = canAct(useStore(session));
  const [busy, setBusy] = useState(false);
  const disabled = !allowed || busy || props.disabled === true;
  const title = !allowed
    ? 'Read-only token: actions need the admin token'
    : props.disabled
      ? props.reason
      : undefined;
  return (
    <button
      type="button"
      class={`button${props.variant && props.variant !== 'default' ? ` button-${props.variant}` : ''}`}
      disabled={disabled}
      title={title}
      aria-label={props.label}
      aria-busy={busy}
      onClick={async () => {
        setBusy(true);
        try {
          await props.action();
        } catch (error) {
          props.onError?.(describeError(error));
        } finally {
          setBusy(false);
        }
      }}
    >
      {props.children}
    </button>
  );
}

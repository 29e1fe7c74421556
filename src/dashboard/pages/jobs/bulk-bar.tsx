import { useState } from 'preact/hooks';
import type { ApiJob } from '../../../http-client/wire.js';
import { api, describeError } from '../../api/http.js';
import { canAct, session } from '../../api/session.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { Notice } from '../../components/notice.js';
import {
  type BulkAction,
  type BulkOutcome,
  eligibleOf,
  type JobFilter,
  matchingIds,
  runBulk,
  WORDS,
} from '../../lib/bulk.js';
import { count } from '../../lib/format.js';
import { useStore } from '../../lib/store.js';

const ACTIONS: BulkAction[] = ['retry', 'cancel', 'delete'];

/** A bulk action waiting for its confirmation. */
interface Pending {
  action: BulkAction;
  ids: string[];
  /** Selected jobs the action does not apply to. */
  skipped: number;
  scope: 'selection' | 'filter';
}

/** Props of BulkBar. */
export interface BulkBarProps {
  selected: ReadonlyMap<string, ApiJob>;
  filter: JobFilter;
  /** The filter in words, for the confirmation ("failed jobs in emails"). */
  filterText: string;
  onDone: () => void;
}

/**
 * Retry, cancel or delete the selected jobs, or every job matching the
 * filter. Always confirms with the number of jobs it will touch; shows
 * progress while it runs and what happened after.
 */
export function BulkBar({ selected, filter, filterText, onDone }: BulkBarProps) {
  const allowed = canAct(useStore(session));
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [result, setResult] = useState<{ text: string; kind: 'success' | 'error' } | null>(null);
  const [stop, setStop] = useState<AbortController | null>(null);

  const onSelection = (action: BulkAction) => {
    const eligible = eligibleOf(selected.values(), action);
    setResult(null);
    setPending({
      action,
      ids: eligible.map((j) => j.id),
      skipped: selected.size - eligible.length,
      scope: 'selection',
    });
  };
  const onFilter = async (action: BulkAction) => {
    const controller = new AbortController();
    setStop(controller);
    setResult(null);
    setBusy(`Counting the jobs to ${WORDS[action].verb.toLowerCase()}…`);
    try {
      const ids = await matchingIds(api(), filter, action, controller.signal);
      setPending({ action, ids, skipped: 0, scope: 'filter' });
    } catch (error) {
      if (!controller.signal.aborted) setResult({ text: describeError(error), kind: 'error' });
    } finally {
      setBusy(null);
      setStop(null);
    }
  };
  const run = async ({ action, ids }: Pending) => {
    setPending(null);
    const controller = new AbortController();
    setStop(controller);
    const words = WORDS[action];
    setBusy(`${words.doing} 0 of ${count(ids.length)}…`);
    const outcome: BulkOutcome = await runBulk(
      api(),
      action,
      ids,
      (n) => setBusy(`${words.doing} ${count(n)} of ${count(ids.length)}…`),
      controller.signal,
    );
    setBusy(null);
    setStop(null);
    const stopped = controller.signal.aborted ? ' (stopped)' : '';
    setResult(
      outcome.failed === 0
        ? { text: `${count(outcome.done)} jobs ${words.done}${stopped}.`, kind: 'success' }
        : {
            text: `${count(outcome.done)} jobs ${words.done}, ${count(outcome.failed)} refused${stopped}. First: ${outcome.firstError}`,
            kind: 'error',
          },
    );
    onDone();
  };

  const disabled = !allowed || busy !== null;
  const title = allowed ? undefined : 'Read-only token: actions need the admin token';
  return (
    <section class="bulk" aria-label="Bulk actions">
      <div class="bulk-row">
        <span class="bulk-label">
          {selected.size > 0
            ? `${count(selected.size)} selected`
            : 'Select jobs, or act on every job matching the filter'}
        </span>
        <div class="bulk-actions">
          {ACTIONS.map((action) => (
            <button
              key={action}
              type="button"
              class={`button${action === 'delete' ? ' button-danger' : ''}`}
              disabled={disabled || selected.size === 0}
              title={title}
              onClick={() => onSelection(action)}
            >
              {WORDS[action].verb} selected
            </button>
          ))}
        </div>
        <details class="menu">
          <summary class="button" aria-disabled={disabled}>
            All matching…
          </summary>
          <div class="menu-items">
            {ACTIONS.map((action) => (
              <button
                key={action}
                type="button"
                class="menu-item"
                disabled={disabled}
                title={title}
                onClick={(event) => {
                  (event.currentTarget.closest('details') as HTMLDetailsElement).open = false;
                  void onFilter(action);
                }}
              >
                {WORDS[action].verb} every job matching the filter
              </button>
            ))}
          </div>
        </details>
      </div>
      {busy && (
        <div class="bulk-progress" role="status">
          <span>{busy}</span>
          {stop && (
            <button type="button" class="button button-quiet" onClick={() => stop.abort()}>
              Stop
            </button>
          )}
        </div>
      )}
      {result && <Notice kind={result.kind}>{result.text}</Notice>}
      {pending && (
        <ConfirmDialog
          title={`${WORDS[pending.action].verb} ${count(pending.ids.length)} ${pending.ids.length === 1 ? 'job' : 'jobs'}?`}
          confirmLabel={`${WORDS[pending.action].verb} ${count(pending.ids.length)}`}
          variant={pending.action === 'delete' ? 'danger' : 'primary'}
          onCancel={() => setPending(null)}
          onConfirm={() => (pending.ids.length ? void run(pending) : setPending(null))}
        >
          <p>
            {pending.scope === 'filter'
              ? `This will ${pending.action} every job matching ${filterText} that can be ${WORDS[pending.action].done}: ${count(pending.ids.length)}.`
              : pending.skipped === 0
                ? `This will ${pending.action} the ${count(pending.ids.length)} selected ${pending.ids.length === 1 ? 'job' : 'jobs'}.`
                : `This will ${pending.action} ${count(pending.ids.length)} of the ${count(selected.size)} selected jobs.`}
          </p>
          {pending.skipped > 0 && (
            <p class="muted">
              {count(pending.skipped)} selected {pending.skipped === 1 ? 'job is' : 'jobs are'} in a state
              that cannot be {WORDS[pending.action].done} and will be left alone.
            </p>
          )}
          {pending.action === 'delete' && <p>Deleted jobs and their logs cannot be brought back.</p>}
        </ConfirmDialog>
      )}
    </section>
  );
}

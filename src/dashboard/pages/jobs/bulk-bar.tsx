import { useState } from 'preact/hooks';
import type { ApiJob } from '../../../http-client/wire.js';
import { api, describeError } from '../../api/http.js';
import { canAct, session } from '../../api/session.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { Notice } from '../../components/notice.js';
import { type BulkAction, eligibleOf, type JobFilter, runBulk, WORDS } from '../../lib/bulk.js';
import { count } from '../../lib/format.js';
import { useStore } from '../../lib/store.js';

const ACTIONS: BulkAction[] = ['retry', 'cancel', 'delete'];

/** A bulk action waiting for its confirmation. */
type Pending = { action: BulkAction; count: number } & (
  | { scope: 'selection'; ids: string[]; skipped: number }
  | { scope: 'filter'; capped: boolean }
);

/** Props of BulkBar. */
export interface BulkBarProps {
  selected: ReadonlyMap<string, ApiJob>;
  filter: JobFilter;
  /** The filter in words, for the confirmation ("failed jobs in emails"). */
  filterText: string;
  /** A search is shown instead of a filter: "every job matching" would not mean what the list shows. */
  searching: boolean;
  onDone: () => void;
}

const jobs = (n: number) => (n === 1 ? 'job' : 'jobs');

/**
 * Retry, cancel or delete the selected jobs, or every job matching the
 * filter, through the API's bulk routes. Always confirms with the number
 * of jobs it will touch (for a filter, the server counts them first); shows
 * progress while it runs and what happened after.
 */
export function BulkBar({ selected, filter, filterText, searching, onDone }: BulkBarProps) {
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
      scope: 'selection',
      ids: eligible.map((j) => j.id),
      count: eligible.length,
      skipped: selected.size - eligible.length,
    });
  };
  const onFilter = async (action: BulkAction) => {
    setResult(null);
    setBusy(`Counting the jobs to ${WORDS[action].verb.toLowerCase()}…`);
    try {
      const counted = await api().countJobs(filter, action);
      setPending({ action, scope: 'filter', count: counted.count, capped: counted.capped });
    } catch (error) {
      setResult({ text: describeError(error), kind: 'error' });
    } finally {
      setBusy(null);
    }
  };
  const run = async (job: Pending) => {
    setPending(null);
    const controller = new AbortController();
    setStop(controller);
    const words = WORDS[job.action];
    const of = `${job.scope === 'filter' && job.capped ? 'at least ' : ''}${count(job.count)}`;
    setBusy(`${words.doing} 0 of ${of}…`);
    try {
      const outcome = await runBulk(
        api(),
        job.action,
        job.scope === 'selection' ? { ids: job.ids } : { filter },
        (n) => setBusy(`${words.doing} ${count(n)} of ${of}…`),
        controller.signal,
      );
      const stopped = controller.signal.aborted ? ' (stopped)' : '';
      setResult(
        outcome.skipped === 0
          ? {
              text: `${count(outcome.changed)} ${jobs(outcome.changed)} ${words.done}${stopped}.`,
              kind: 'success',
            }
          : {
              text: `${count(outcome.changed)} ${jobs(outcome.changed)} ${words.done}, ${count(outcome.skipped)} skipped: their state changed meanwhile${stopped}.`,
              kind: 'error',
            },
      );
    } catch (error) {
      setResult({ text: describeError(error), kind: 'error' });
    } finally {
      setBusy(null);
      setStop(null);
      onDone();
    }
  };

  const disabled = !allowed || busy !== null;
  const title = allowed ? undefined : 'Read-only token: actions need the admin token';
  const noun = pending ? jobs(pending.count) : '';
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
          <summary
            class="button"
            aria-disabled={disabled || searching}
            title={searching ? 'Clear the search to act on a filter' : title}
          >
            All matching…
          </summary>
          <div class="menu-items">
            {ACTIONS.map((action) => (
              <button
                key={action}
                type="button"
                class="menu-item"
                disabled={disabled || searching}
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
          title={`${WORDS[pending.action].verb} ${count(pending.count)} ${noun}?`}
          confirmLabel={`${WORDS[pending.action].verb} ${count(pending.count)}`}
          variant={pending.action === 'delete' ? 'danger' : 'primary'}
          onCancel={() => setPending(null)}
          onConfirm={() => (pending.count > 0 ? void run(pending) : setPending(null))}
        >
          <p data-bulk-count={pending.count}>
            {pending.scope === 'filter'
              ? `This will ${pending.action} every job matching ${filterText} that can be ${WORDS[pending.action].done}: ${pending.capped ? 'at least ' : ''}${count(pending.count)}.`
              : pending.skipped === 0
                ? `This will ${pending.action} the ${count(pending.count)} selected ${noun}.`
                : `This will ${pending.action} ${count(pending.count)} of the ${count(selected.size)} selected jobs.`}
          </p>
          {pending.scope === 'selection' && pending.skipped > 0 && (
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

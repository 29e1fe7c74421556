import { useState } from 'preact/hooks';
import type { ApiJob } from '../../../http-client/wire.js';
import { api } from '../../api/http.js';
import { ActionButton } from '../../components/action-button.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { allows } from '../../lib/bulk.js';
import { navigate } from '../../lib/router.js';

/** Props of JobActions. */
export interface JobActionsProps {
  job: ApiJob;
  /** After an action: what happened, for the timeline. */
  onDone: (text: string) => void;
  onError: (message: string) => void;
}

/** Retry, cancel and delete for one job, each enabled only in the states that allow it. */
export function JobActions({ job, onDone, onError }: JobActionsProps) {
  const [confirmDelete, setConfirmDelete] = useState(false);
  const cancelling = job.state === 'active' && job.cancelRequested;
  return (
    <div class="actions">
      <ActionButton
        variant="primary"
        disabled={!allows('retry', job.state)}
        reason="Only failed or cancelled jobs can be retried"
        onError={onError}
        action={async () => {
          await api().retry(job.id);
          onDone('Retried from the dashboard');
        }}
      >
        Retry
      </ActionButton>
      <ActionButton
        disabled={!allows('cancel', job.state) || cancelling}
        reason={cancelling ? 'Cancel already requested' : 'Only unfinished jobs can be cancelled'}
        onError={onError}
        action={async () => {
          const after = await api().cancel(job.id);
          onDone(
            after.state === 'cancelled'
              ? 'Cancelled from the dashboard'
              : 'Cancel requested from the dashboard',
          );
        }}
      >
        {cancelling ? 'Cancelling…' : 'Cancel'}
      </ActionButton>
      <ActionButton
        variant="danger"
        disabled={!allows('delete', job.state)}
        reason="A running job cannot be deleted; cancel it first"
        onError={onError}
        action={async () => setConfirmDelete(true)}
      >
        Delete
      </ActionButton>
      {confirmDelete && (
        <ConfirmDialog
          title="Delete 1 job?"
          confirmLabel="Delete 1"
          variant="danger"
          onCancel={() => setConfirmDelete(false)}
          onConfirm={async () => {
            setConfirmDelete(false);
            try {
              await api().deleteJob(job.id);
              navigate('#/jobs');
            } catch (error) {
              onError(error instanceof Error ? error.message : String(error));
            }
          }}
        >
          <p>
            Job <span class="mono">{job.id}</span> and its logs will be deleted. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

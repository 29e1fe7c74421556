import type { ApiJob } from '../../../http-client/wire.js';
import { StateBadge } from '../../components/state-badge.js';
import { relative, shortId } from '../../lib/format.js';

/** Props of JobTable. */
export interface JobTableProps {
  jobs: ApiJob[];
  /** Selected ids (a map from id, or a set). */
  selected: { has(id: string): boolean };
  onToggle: (job: ApiJob, on: boolean) => void;
  onToggleAll: (on: boolean) => void;
  now: number;
}

/** When a job last moved, in words: what a reader of the list wants next to its state. */
function lastMove(job: ApiJob, now: number): string {
  if (job.finishedAt !== null) return `finished ${relative(job.finishedAt, now)}`;
  if (job.state === 'active' && job.startedAt !== null) return `started ${relative(job.startedAt, now)}`;
  if (job.runAt > now) return `runs ${relative(job.runAt, now)}`;
  return `ready ${relative(job.runAt, now)}`;
}

/** A page of jobs with checkboxes for bulk actions. Becomes a list of cards on narrow screens. */
export function JobTable({ jobs, selected, onToggle, onToggleAll, now }: JobTableProps) {
  const all = jobs.length > 0 && jobs.every((job) => selected.has(job.id));
  return (
    <div class="table-wrap">
      <table class="table jobs-table">
        <thead>
          <tr>
            <th scope="col" class="col-check">
              <input
                type="checkbox"
                aria-label="Select every job on this page"
                checked={all}
                onChange={(event) => onToggleAll(event.currentTarget.checked)}
              />
            </th>
            <th scope="col">Job</th>
            <th scope="col">Queue</th>
            <th scope="col">State</th>
            <th scope="col">Attempt</th>
            <th scope="col">When</th>
            <th scope="col">Last error</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => {
            const error = job.errors.at(-1);
            return (
              <tr key={job.id} data-job={job.id} data-state={job.state}>
                <td class="col-check">
                  <input
                    type="checkbox"
                    aria-label={`Select job ${job.id}`}
                    checked={selected.has(job.id)}
                    onChange={(event) => onToggle(job, event.currentTarget.checked)}
                  />
                </td>
                <td data-label="Job" class="col-job">
                  <a href={`#/jobs/${encodeURIComponent(job.id)}`} title={job.id} class="mono">
                    {shortId(job.id)}
                  </a>
                  <span class="task-name">{job.task}</span>
                  {job.key && <span class="muted key">key {job.key}</span>}
                </td>
                <td data-label="Queue" class="col-queue">
                  {job.queue}
                </td>
                <td data-label="State" class="col-state">
                  <StateBadge state={job.state} />
                  {job.cancelRequested && job.state === 'active' && <span class="muted"> cancelling</span>}
                </td>
                <td data-label="Attempt" class="col-attempt">
                  {job.attempt} / {job.maxAttempts}
                </td>
                <td data-label="When" class="col-when">
                  {lastMove(job, now)}
                </td>
                <td data-label="Last error" class="col-error" title={error?.message}>
                  {error ? error.message : <span class="muted">—</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

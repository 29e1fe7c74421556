import type { ApiAttemptError, ApiJob } from '../../../http-client/wire.js';
import { dateTime, duration } from '../../lib/format.js';

function outcomeOf(job: ApiJob, attempt: number, error: ApiAttemptError | undefined): string {
  if (error) return 'failed';
  if (attempt < job.attempt) return 'failed'; // an older attempt without a stored error
  if (job.state === 'active') return job.cancelRequested ? 'running, cancel requested' : 'running';
  if (job.state === 'completed') return 'completed';
  if (job.state === 'cancelled') return 'cancelled';
  return job.state;
}

/** Every attempt of the job, newest first, each failure with its error and stack. */
export function Attempts({ job }: { job: ApiJob }) {
  const byAttempt = new Map(job.errors.map((e) => [e.attempt, e]));
  const count = Math.max(job.attempt, ...job.errors.map((e) => e.attempt));
  if (count === 0) return <p class="muted">Not started yet.</p>;
  const attempts = Array.from({ length: count }, (_, i) => count - i);
  const stacksHidden = job.errors.length > 0 && job.errors.every((e) => e.stack === undefined);
  return (
    <>
      <ol class="attempts" reversed>
        {attempts.map((n) => {
          const error = byAttempt.get(n);
          const outcome = outcomeOf(job, n, error);
          const current = n === job.attempt;
          return (
            <li key={n} class={`attempt attempt-${error ? 'failed' : outcome}`} data-attempt={n}>
              <div class="attempt-head">
                <strong>Attempt {n}</strong>
                <span class={`badge state-${error ? 'failed' : job.state}`}>{outcome}</span>
                {current && job.startedAt !== null && (
                  <span class="muted">
                    started {dateTime(job.startedAt)}
                    {job.finishedAt !== null && ` · took ${duration(job.finishedAt - job.startedAt)}`}
                  </span>
                )}
                {error && !(current && job.startedAt !== null) && (
                  <span class="muted">failed at {dateTime(error.at)}</span>
                )}
              </div>
              {error && (
                <div class="attempt-error">
                  <p class="error-message">
                    {error.code && <span class="mono code-chip">{error.code}</span>} {error.message}
                  </p>
                  {error.workerId && <p class="muted small">on worker {error.workerId}</p>}
                  {error.stack && (
                    <details open={current}>
                      <summary>Stack trace</summary>
                      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a block that may scroll takes focus, so the keyboard can scroll it */}
                      <pre class="code stack" tabIndex={0}>
                        {error.stack}
                      </pre>
                    </details>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {stacksHidden && (
        <p class="footnote">
          This server hides stack traces (it was started with <code>exposeStacks: false</code>).
        </p>
      )}
    </>
  );
}

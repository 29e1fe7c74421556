import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { ApiJob } from '../../../http-client/wire.js';
import { JsonBlock } from '../../components/json-block.js';
import { Empty, Notice } from '../../components/notice.js';
import { ProgressBar } from '../../components/progress-bar.js';
import { StateBadge } from '../../components/state-badge.js';
import { dateTime, duration, relative } from '../../lib/format.js';
import { useNow } from '../../lib/now.js';
import { href } from '../../lib/router.js';
import type { LocalEvent } from '../../lib/timeline.js';
import { useJobFollow } from '../../live/use-job-follow.js';
import { Attempts } from './attempts.js';
import { JobActions } from './job-actions.js';
import { Logs } from './logs.js';
import { Timeline } from './timeline.js';

function Facts({ job, now }: { job: ApiJob; now: number }) {
  const fact = (label: string, value: ComponentChildren) => (
    <div class="stat">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
  return (
    <dl class="stats facts">
      {fact('Queue', <a href={href('/jobs', { queue: job.queue })}>{job.queue}</a>)}
      {fact('Task', <a href={href('/jobs', { task: job.task })}>{job.task}</a>)}
      {fact('Attempt', `${job.attempt} of ${job.maxAttempts}`)}
      {fact('Priority', job.priority)}
      {fact('Key', job.key ?? '—')}
      {fact('Timeout', job.timeoutMs === null ? 'none' : duration(job.timeoutMs))}
      {fact('Created', <span title={dateTime(job.createdAt)}>{relative(job.createdAt, now)}</span>)}
      {fact('Run at', <span title={dateTime(job.runAt)}>{relative(job.runAt, now)}</span>)}
      {job.workerId && fact('Worker', <span class="mono">{job.workerId}</span>)}
    </dl>
  );
}

/** One job: facts, live progress, timeline, input and result, attempts with errors, logs; retry and cancel. */
export function JobPage({ id }: { id: string }) {
  const followed = useJobFollow(id);
  const now = useNow();
  const [local, setLocal] = useState<LocalEvent[]>([]);
  const [actionError, setActionError] = useState<string | null>(null);
  const { job } = followed;

  if (followed.gone) {
    return (
      <Empty title="No such job">
        It may have been deleted or pruned. <a href="#/jobs">Back to jobs</a>
      </Empty>
    );
  }
  if (!job) {
    return followed.error ? (
      <Notice kind="error">{followed.error}</Notice>
    ) : (
      <p class="muted">Loading job…</p>
    );
  }
  return (
    <article class="job" data-state={job.state}>
      <div class="page-head">
        <div>
          <p class="crumbs">
            <a href="#/jobs">Jobs</a> / <span class="mono">{job.id}</span>
          </p>
          <h1>
            {job.task} <StateBadge state={job.state} />
          </h1>
        </div>
        <JobActions
          job={job}
          onError={setActionError}
          onDone={(text) => {
            setActionError(null);
            setLocal((events) => [...events, { at: Date.now(), text }]);
            followed.restart();
          }}
        />
      </div>
      {actionError && <Notice kind="error">{actionError}</Notice>}
      {followed.error && (
        <Notice kind="warning">Live updates interrupted: {followed.error}. Retrying…</Notice>
      )}
      <Facts job={job} now={now} />
      <div class="job-grid">
        <section class="card" aria-labelledby="progress-title">
          <h2 id="progress-title">Progress</h2>
          <ProgressBar progress={job.progress} active={job.state === 'active'} />
          <h2 id="timeline-title">Timeline</h2>
          <Timeline job={job} local={local} now={now} />
        </section>
        <section class="card" aria-labelledby="data-title">
          <h2 id="data-title">Input</h2>
          <JsonBlock value={job.input} label="Input" />
          <h2>Result</h2>
          {job.state === 'completed' ? (
            <JsonBlock value={job.result} label="Result" />
          ) : (
            <p class="muted">No result{job.state === 'failed' ? ': the job failed' : ' yet'}.</p>
          )}
        </section>
      </div>
      <section class="card" aria-labelledby="attempts-title">
        <h2 id="attempts-title">Attempts</h2>
        <Attempts job={job} />
      </section>
      <section class="card" aria-labelledby="logs-title">
        <h2 id="logs-title">Logs</h2>
        <Logs lines={followed.logs} />
      </section>
    </article>
  );
}

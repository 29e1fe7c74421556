import type { ApiQueue, ApiQueueCapacity } from '../../../http-client/wire.js';
import { api } from '../../api/http.js';
import { ActionButton } from '../../components/action-button.js';
import { Chart } from '../../components/chart.js';
import { count, duration } from '../../lib/format.js';
import { type QueueHour, type Spread, sum } from '../../lib/queue-stats.js';
import { drainOf } from './drain.js';
import { StateCounts } from './state-counts.js';

/** Props of QueueCard. */
export interface QueueCardProps {
  queue: ApiQueue;
  /** The last hour from `GET /v1/stats`; null until the first answer. */
  hour: QueueHour | null;
  /** The capacity model's report; null until the first answer. */
  capacity: ApiQueueCapacity | null;
  now: number;
  onChanged: () => void;
  onError: (message: string) => void;
}

function spread(label: string, value: Spread | null | undefined, name: string) {
  return (
    <div class="stat" data-stat={name}>
      <dt>{label}</dt>
      <dd>{value ? `${duration(value.p50)} · ${duration(value.p95)}` : '—'}</dd>
    </div>
  );
}

/** One queue on the overview: counts, backlog and drain, timings, the last hour, pause/resume. */
export function QueueCard({ queue, hour, capacity, now, onChanged, onError }: QueueCardProps) {
  const drain = drainOf(queue, capacity);
  const waiting = queue.oldestAvailableAt === null ? null : now - queue.oldestAvailableAt;
  const completed = hour ? sum(hour.completions) : 0;
  const failed = hour ? sum(hour.failures) : 0;
  const backlog = capacity?.backlog ?? queue.counts.available;
  return (
    <article class="card queue-card" data-queue={queue.name} aria-labelledby={`queue-${queue.name}`}>
      <header class="card-head">
        <h3 id={`queue-${queue.name}`} class="queue-name">
          {queue.name}
        </h3>
        {queue.paused ? (
          <span class="badge badge-paused" data-paused="true">
            paused
          </span>
        ) : (
          <span class="badge badge-running" data-paused="false">
            running
          </span>
        )}
        <span class="spacer" />
        <ActionButton
          label={`${queue.paused ? 'Resume' : 'Pause'} queue ${queue.name}`}
          action={async () => {
            if (queue.paused) await api().resumeQueue(queue.name);
            else await api().pauseQueue(queue.name);
            onChanged();
          }}
          onError={onError}
        >
          {queue.paused ? 'Resume' : 'Pause'}
        </ActionButton>
      </header>
      <StateCounts queue={queue.name} counts={queue.counts} />
      <dl class="stats">
        <div class="stat" data-stat="backlog">
          <dt>Backlog, due now</dt>
          <dd>
            {count(backlog)}
            {queue.backlogLimit !== null && <span class="muted"> / {count(queue.backlogLimit)} limit</span>}
          </dd>
        </div>
        <div class="stat" data-stat="drain">
          <dt>Drains in</dt>
          <dd class={drain.stuck ? 'text-warning' : undefined} title={drain.why}>
            {drain.text}
          </dd>
        </div>
        <div class="stat">
          <dt>Oldest waiting</dt>
          <dd>{waiting === null ? '—' : duration(Math.max(0, waiting))}</dd>
        </div>
        <div class="stat">
          <dt>Finished, last minute</dt>
          <dd>{count(queue.finishedLastMinute)}</dd>
        </div>
        {spread('Wait p50 · p95, last hour', hour?.wait, 'wait')}
        {spread('Run p50 · p95, last hour', hour?.run, 'run')}
      </dl>
      <div class="chart-head">
        <span>Last hour, per minute</span>
        <span class="legend" data-hour-totals>
          <span class="swatch swatch-ok" aria-hidden="true" />
          <span data-total-completed>{count(completed)}</span> completed
          <span class="swatch swatch-bad" aria-hidden="true" />
          <span data-total-failed>{count(failed)}</span> failed
        </span>
      </div>
      {hour ? (
        <Chart
          label={`${queue.name}: ${completed} attempts completed and ${failed} failed in the last hour`}
          x={hour.x}
          series={[
            { label: 'completed', color: 'var(--ok)', values: hour.completions },
            { label: 'failed', color: 'var(--bad)', values: hour.failures },
          ]}
        />
      ) : (
        <p class="muted chart">Loading the last hour…</p>
      )}
    </article>
  );
}

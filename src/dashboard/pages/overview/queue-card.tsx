import type { ApiQueue } from '../../../http-client/wire.js';
import { api } from '../../api/http.js';
import { ActionButton } from '../../components/action-button.js';
import { Chart } from '../../components/chart.js';
import { count, duration } from '../../lib/format.js';
import type { Timings } from '../../lib/percentiles.js';
import type { Window } from '../../lib/throughput.js';
import { drainOf } from './drain.js';
import { StateCounts } from './state-counts.js';

/** Props of QueueCard. */
export interface QueueCardProps {
  queue: ApiQueue;
  timings: Timings | undefined;
  window: Window;
  now: number;
  onChanged: () => void;
  onError: (message: string) => void;
}

function spread(label: string, value: { p50: number; p95: number } | null | undefined) {
  return (
    <div class="stat">
      <dt>{label}</dt>
      <dd>{value ? `${duration(value.p50)} · ${duration(value.p95)}` : '—'}</dd>
    </div>
  );
}

/** One queue on the overview: counts, backlog and drain, timings, the last hour, pause/resume. */
export function QueueCard({ queue, timings, window, now, onChanged, onError }: QueueCardProps) {
  const drain = drainOf(queue);
  const waiting = queue.oldestAvailableAt === null ? null : now - queue.oldestAvailableAt;
  const lastHour = window.completed.reduce((a, b) => a + b, 0);
  const failedHour = window.failed.reduce((a, b) => a + b, 0);
  const backlog = queue.counts.available + queue.counts.scheduled;
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
        <div class="stat">
          <dt>Backlog</dt>
          <dd>
            {count(backlog)}
            {queue.backlogLimit !== null && <span class="muted"> / {count(queue.backlogLimit)} limit</span>}
          </dd>
        </div>
        <div class="stat">
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
        {spread('Wait p50 · p95', timings?.wait)}
        {spread('Run p50 · p95', timings?.run)}
      </dl>
      <div class="chart-head">
        <span>Last hour, per minute</span>
        <span class="legend">
          <span class="swatch swatch-ok" aria-hidden="true" />
          {count(lastHour)} completed
          <span class="swatch swatch-bad" aria-hidden="true" />
          {count(failedHour)} failed
        </span>
      </div>
      <Chart
        label={`${queue.name}: ${lastHour} jobs completed and ${failedHour} failed in the last hour`}
        x={window.x}
        series={[
          { label: 'completed', color: 'var(--ok)', values: window.completed },
          { label: 'failed', color: 'var(--bad)', values: window.failed },
        ]}
      />
      {timings && timings.sample > 0 && (
        <p class="footnote">
          Wait and run times from the latest{' '}
          {timings.sample === 1 ? 'finished job' : `${count(timings.sample)} finished jobs`}.
        </p>
      )}
    </article>
  );
}

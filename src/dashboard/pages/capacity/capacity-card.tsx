import type { ApiQueueCapacity } from '../../../http-client/wire.js';
import { count, duration } from '../../lib/format.js';

const rate = (perSecond: number) => (perSecond >= 10 ? perSecond.toFixed(0) : perSecond.toFixed(2));
const ms = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : duration(value);

/** One queue's capacity: busy slots against its workers' slots, what the model recommends, and why. */
export function CapacityCard({ report }: { report: ApiQueueCapacity }) {
  const need = report.recommendedConcurrency;
  const short = need !== null && need > report.concurrency;
  const busy = report.concurrency > 0 ? Math.min(1, report.busySlots / report.concurrency) : 0;
  return (
    <article class="card" data-capacity={report.queue} aria-labelledby={`capacity-${report.queue}`}>
      <header class="card-head">
        <h2 id={`capacity-${report.queue}`} class="queue-name">
          {report.queue}
        </h2>
        <span class="badge" title="Which model the figures come from">
          {report.model === 'mmc' ? 'M/M/c model' : "Little's law"}
        </span>
        {short && <span class="badge badge-warning">needs more slots</span>}
      </header>
      <dl class="stats">
        <div class="stat">
          <dt>Busy slots</dt>
          <dd>
            {count(report.busySlots)} of {count(report.concurrency)}
            <span class="meter" aria-hidden="true">
              <span style={{ width: `${Math.round(busy * 100)}%` }} />
            </span>
          </dd>
        </div>
        <div class="stat">
          <dt>Recommended concurrency</dt>
          <dd class={short ? 'text-warning' : undefined}>{need === null ? '—' : count(need)}</dd>
        </div>
        <div class="stat">
          <dt>Arrivals · done per second</dt>
          <dd>
            {rate(report.arrivalRate)} · {rate(report.throughput)}
          </dd>
        </div>
        <div class="stat">
          <dt>Run mean · p95</dt>
          <dd>
            {ms(report.meanRunMs)} · {ms(report.runMs.p95)}
          </dd>
        </div>
        <div class="stat">
          <dt>Wait p95, measured</dt>
          <dd>{ms(report.waitMs.p95)}</dd>
        </div>
        <div class="stat">
          <dt>Wait p95, predicted (target)</dt>
          <dd>
            {ms(report.predicted?.p95WaitMs)} ({duration(report.targetWaitMs)})
          </dd>
        </div>
        <div class="stat">
          <dt>Utilisation</dt>
          <dd>{report.utilisation === null ? '—' : `${Math.round(report.utilisation * 100)} %`}</dd>
        </div>
        <div class="stat">
          <dt>Backlog · drains in</dt>
          <dd>
            {report.backlog === 0
              ? 'nothing waiting'
              : `${count(report.backlog)} · ${report.drainSeconds === null ? 'not shrinking' : duration(report.drainSeconds * 1000)}`}
          </dd>
        </div>
      </dl>
      {report.notes.length > 0 && (
        <details class="why" open={short}>
          <summary>Why</summary>
          <ul>
            {report.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </details>
      )}
      <p class="footnote">Over the last {duration(report.windowSeconds * 1000)}.</p>
    </article>
  );
}

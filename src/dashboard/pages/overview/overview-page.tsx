import { useState } from 'preact/hooks';
import { api } from '../../api/http.js';
import { Empty, Notice } from '../../components/notice.js';
import { count } from '../../lib/format.js';
import { useNow } from '../../lib/now.js';
import { emptyHour, sum } from '../../lib/queue-stats.js';
import { useStore } from '../../lib/store.js';
import { queueCapacity, queueFeed, queueHours, refreshQueues } from '../../live/queue-feed.js';
import { usePoll } from '../../live/use-poll.js';
import { QueueCard } from './queue-card.js';
import { WorkersSummary } from './workers-summary.js';

/** Totals across every queue, at the top of the overview. */
function Totals({ ready, running, failed, workers }: Record<string, number | undefined>) {
  const item = (label: string, value: number | undefined, name: string) => (
    <div class="total" data-total={name}>
      <span class="total-value">{value === undefined ? '—' : count(value)}</span>
      <span class="total-label">{label}</span>
    </div>
  );
  return (
    <div class="totals">
      {item('ready to run', ready, 'ready')}
      {item('running', running, 'running')}
      {item('failed attempts, last hour', failed, 'failed')}
      {item('live workers', workers, 'workers')}
    </div>
  );
}

/** The overview: every queue at a glance, live, and the workers alive. */
export function OverviewPage() {
  const snapshot = useStore(queueFeed);
  const hours = useStore(queueHours);
  const capacity = useStore(queueCapacity);
  const now = useNow();
  const workers = usePoll(() => api().workers(), 3000);
  const [error, setError] = useState<string | null>(null);
  const queues = snapshot?.queues;
  const total = (pick: (q: NonNullable<typeof queues>[number]) => number) =>
    queues === undefined ? undefined : queues.reduce((all, q) => all + pick(q), 0);
  const failedHour =
    hours === null ? undefined : [...hours.values()].reduce((all, hour) => all + sum(hour.failures), 0);

  return (
    <>
      <div class="page-head">
        <h1>Overview</h1>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
      <Totals
        ready={total((q) => q.counts.available)}
        running={total((q) => q.counts.active)}
        failed={failedHour}
        workers={workers.data?.length}
      />
      <section aria-labelledby="queues-title">
        <h2 id="queues-title">Queues</h2>
        {queues === undefined ? (
          <p class="muted">Loading queues…</p>
        ) : queues.length === 0 ? (
          <Empty title="No queues yet">A queue appears when its first job is enqueued.</Empty>
        ) : (
          <div class="queue-grid">
            {queues.map((queue) => (
              <QueueCard
                key={queue.name}
                queue={queue}
                hour={hours?.get(queue.name) ?? (hours === null ? null : emptyHour(now))}
                capacity={capacity?.get(queue.name) ?? null}
                now={now}
                onChanged={() => {
                  setError(null);
                  refreshQueues();
                }}
                onError={setError}
              />
            ))}
          </div>
        )}
        <p class="footnote">
          Charts, wait and run times: the last hour, per minute, as the workers on every host measured it (
          <code>GET /v1/stats</code>). Backlog and drain time: the capacity model (
          <code>GET /v1/capacity</code>).
        </p>
      </section>
      <section aria-labelledby="workers-title">
        <h2 id="workers-title">Live workers</h2>
        <WorkersSummary workers={workers.data} now={now} />
      </section>
    </>
  );
}

import { useState } from 'preact/hooks';
import { api } from '../../api/http.js';
import { Empty, Notice } from '../../components/notice.js';
import { count } from '../../lib/format.js';
import { useNow } from '../../lib/now.js';
import { useStore } from '../../lib/store.js';
import {
  queueFeed,
  queueTimings,
  refreshQueues,
  throughput,
  throughputVersion,
} from '../../live/queue-feed.js';
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
      {item('failed, last hour', failed, 'failed')}
      {item('live workers', workers, 'workers')}
    </div>
  );
}

/** The overview: every queue at a glance, live, and the workers alive. */
export function OverviewPage() {
  const snapshot = useStore(queueFeed);
  const timings = useStore(queueTimings);
  useStore(throughputVersion);
  const now = useNow();
  const workers = usePoll(() => api().workers(), 3000);
  const [error, setError] = useState<string | null>(null);
  const queues = snapshot?.queues;
  const windows = new Map((queues ?? []).map((q) => [q.name, throughput.window(q.name, now)]));
  const sum = (pick: (q: NonNullable<typeof queues>[number]) => number) =>
    queues === undefined ? undefined : queues.reduce((total, q) => total + pick(q), 0);

  return (
    <>
      <div class="page-head">
        <h1>Overview</h1>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
      <Totals
        ready={sum((q) => q.counts.available)}
        running={sum((q) => q.counts.active)}
        failed={sum((q) => (windows.get(q.name)?.failed ?? []).reduce((a, b) => a + b, 0))}
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
                timings={timings.get(queue.name)}
                window={windows.get(queue.name)!}
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
          Charts are kept by this tab from live counts (the API has no time series yet); minutes before it
          opened come from recently finished jobs.
        </p>
      </section>
      <section aria-labelledby="workers-title">
        <h2 id="workers-title">Live workers</h2>
        <WorkersSummary workers={workers.data} now={now} />
      </section>
    </>
  );
}

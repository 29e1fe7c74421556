import { getCapacity } from '../../api/extra.js';
import { describeError, isMissingRoute } from '../../api/http.js';
import { Empty, Notice } from '../../components/notice.js';
import { count } from '../../lib/format.js';
import { useStore } from '../../lib/store.js';
import { queueFeed } from '../../live/queue-feed.js';
import { usePoll } from '../../live/use-poll.js';
import { CapacityCard, capacityRows } from './capacity-card.js';
import { CapacityTable } from './capacity-table.js';

/** Busy slots per queue from the live counts: what is known without the capacity model. */
function BusySlots() {
  const snapshot = useStore(queueFeed);
  if (!snapshot) return null;
  return (
    <div class="table-wrap">
      <table class="table">
        <caption>Busy slots now, per queue</caption>
        <thead>
          <tr>
            <th scope="col">Queue</th>
            <th scope="col">Running</th>
            <th scope="col">Ready</th>
            <th scope="col">Finished, last minute</th>
          </tr>
        </thead>
        <tbody>
          {snapshot.queues.map((q) => (
            <tr key={q.name}>
              <td data-label="Queue">{q.name}</td>
              <td data-label="Running">{count(q.counts.active)}</td>
              <td data-label="Ready">{count(q.counts.available)}</td>
              <td data-label="Finished, last minute">{count(q.finishedLastMinute)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The model's report per queue; anything shaped otherwise is shown as a plain table. */
function CapacityReport({ data }: { data: unknown }) {
  const rows = capacityRows(data);
  if (!rows) return <CapacityTable data={data} />;
  if (rows.length === 0)
    return <Empty title="No queues yet">A queue appears when its first job is enqueued.</Empty>;
  return (
    <div class="queue-grid">
      {rows.map((report) => (
        <CapacityCard key={report.queue} report={report} />
      ))}
    </div>
  );
}

/** Capacity: the recommended concurrency per queue and why, once the server offers `GET /v1/capacity`. */
export function CapacityPage() {
  const capacity = usePoll(getCapacity, 10_000);
  const missing = isMissingRoute(capacity.error);
  return (
    <>
      <div class="page-head">
        <h1>Capacity</h1>
      </div>
      {missing ? (
        <>
          <Empty title="Capacity planning is not available yet">
            This server has no <code>GET /v1/capacity</code> route. When it has, this page shows per queue the
            arrival rate, run times, busy slots, and the concurrency that keeps the p95 wait under target,
            with the reasoning.
          </Empty>
          <BusySlots />
        </>
      ) : capacity.error !== undefined && capacity.data === undefined ? (
        <Notice kind="error">Could not load capacity: {describeError(capacity.error)}</Notice>
      ) : capacity.data === undefined ? (
        <p class="muted">Loading capacity…</p>
      ) : (
        <CapacityReport data={capacity.data} />
      )}
    </>
  );
}

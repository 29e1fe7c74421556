import { api, describeError } from '../../api/http.js';
import { Empty, Notice } from '../../components/notice.js';
import { usePoll } from '../../live/use-poll.js';
import { CapacityCard } from './capacity-card.js';

/** Capacity: per queue, busy slots, the concurrency the model recommends and why (`GET /v1/capacity`). */
export function CapacityPage() {
  const capacity = usePoll(() => api().capacity(), 5000);
  const reports = capacity.data;
  return (
    <>
      <div class="page-head">
        <h1>Capacity</h1>
      </div>
      {capacity.error !== undefined && (
        <Notice kind="error">Could not load capacity: {describeError(capacity.error)}</Notice>
      )}
      {reports === undefined ? (
        capacity.error === undefined && <p class="muted">Loading capacity…</p>
      ) : reports.length === 0 ? (
        <Empty title="No queues yet">A queue appears when its first job is enqueued.</Empty>
      ) : (
        <div class="queue-grid">
          {reports.map((report) => (
            <CapacityCard key={report.queue} report={report} />
          ))}
        </div>
      )}
    </>
  );
}

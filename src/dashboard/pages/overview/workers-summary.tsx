import type { ApiWorker } from '../../../http-client/wire.js';
import { Empty } from '../../components/notice.js';
import { count, relative } from '../../lib/format.js';
import { factsOf, LOOP_WARN_MS } from '../../lib/worker-info.js';

/** The live workers, one line each; the Workers page has the detail. */
export function WorkersSummary({ workers, now }: { workers: ApiWorker[] | undefined; now: number }) {
  if (workers === undefined) return <p class="muted">Loading workers…</p>;
  if (workers.length === 0) {
    return (
      <Empty title="No live workers">
        Jobs wait until a worker runs: <code>docket worker</code> or <code>docket.startWorker()</code>.
      </Empty>
    );
  }
  return (
    <div class="table-wrap">
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Worker</th>
            <th scope="col">Queues</th>
            <th scope="col">Running</th>
            <th scope="col">Heartbeat</th>
          </tr>
        </thead>
        <tbody>
          {workers.map((worker) => {
            const facts = factsOf(worker);
            const warn = facts.loopDelayP99Ms !== null && facts.loopDelayP99Ms > LOOP_WARN_MS;
            return (
              <tr key={worker.id}>
                <td data-label="Worker">
                  <a href="#/workers">
                    {worker.host}:{worker.pid}
                  </a>
                  {warn && (
                    <span class="badge badge-warning" title="Event-loop delay is high">
                      loop delay
                    </span>
                  )}
                </td>
                <td data-label="Queues">{worker.queues.length ? worker.queues.join(', ') : 'all'}</td>
                <td data-label="Running">
                  {count(facts.running)} / {count(worker.concurrency)}
                </td>
                <td data-label="Heartbeat">{relative(worker.heartbeatAt, now)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

import type { ApiWorker } from '../../../http-client/wire.js';
import { api, describeError } from '../../api/http.js';
import { Empty, Notice } from '../../components/notice.js';
import { count } from '../../lib/format.js';
import { useNow } from '../../lib/now.js';
import { factsOf } from '../../lib/worker-info.js';
import { usePoll } from '../../live/use-poll.js';
import { WorkerCard } from './worker-card.js';

/** Workers grouped by their supervisor (`docket worker --processes N`); unsupervised ones on their own. */
function groups(workers: ApiWorker[]): { key: string; title: string | null; workers: ApiWorker[] }[] {
  const bySupervisor = new Map<string, { title: string | null; workers: ApiWorker[] }>();
  for (const worker of workers) {
    const supervisor = factsOf(worker).supervisor;
    const key = supervisor ? `${worker.host}/${supervisor.id}` : '';
    let group = bySupervisor.get(key);
    if (!group) {
      const title = supervisor
        ? `Supervisor ${supervisor.id} on ${worker.host}${supervisor.pid !== null ? ` (pid ${supervisor.pid})` : ''}`
        : null;
      group = { title, workers: [] };
      bySupervisor.set(key, group);
    }
    group.workers.push(worker);
  }
  return [...bySupervisor].map(([key, g]) => ({ key, ...g }));
}

/** The live workers on every host: host, pid, isolation, concurrency, running jobs, heartbeat, loop delay. */
export function WorkersPage() {
  const workers = usePoll(() => api().workers(), 2000);
  const now = useNow();
  const list = workers.data;
  return (
    <>
      <div class="page-head">
        <h1>Workers</h1>
        {list && (
          <p class="muted">
            {count(list.length)} live · {count(list.reduce((n, w) => n + factsOf(w).running, 0))} jobs running
            of {count(list.reduce((n, w) => n + w.concurrency, 0))} slots
          </p>
        )}
      </div>
      {workers.error !== undefined && (
        <Notice kind="error">Could not load workers: {describeError(workers.error)}</Notice>
      )}
      {!list ? (
        <p class="muted">Loading workers…</p>
      ) : list.length === 0 ? (
        <Empty title="No live workers">
          Start one with <code>docket worker</code> or <code>docket.startWorker()</code>.
        </Empty>
      ) : (
        groups(list).map((group) => (
          <section key={group.key} aria-label={group.title ?? 'Workers'}>
            {group.title && (
              <h2>
                {group.title} <span class="muted">· {group.workers.length} children</span>
              </h2>
            )}
            <div class="worker-grid">
              {group.workers.map((worker) => (
                <WorkerCard key={worker.id} worker={worker} now={now} />
              ))}
            </div>
          </section>
        ))
      )}
    </>
  );
}

import type { ApiWorker } from '../../../http-client/wire.js';
import { clock, count, duration, relative, shortId } from '../../lib/format.js';
import { factsOf, LOOP_WARN_MS } from '../../lib/worker-info.js';

/** Heartbeats older than this look late (workers beat every few seconds; the registry drops silent ones). */
const LATE_MS = 15_000;

/** One live worker: where it runs, what it runs, how its event loop is doing. */
export function WorkerCard({ worker, now }: { worker: ApiWorker; now: number }) {
  const facts = factsOf(worker);
  const beat = now - worker.heartbeatAt;
  const delay = facts.loopDelayP99Ms;
  const busy = worker.concurrency > 0 ? Math.min(1, facts.running / worker.concurrency) : 0;
  return (
    <article class="card worker" data-worker={worker.id} aria-label={`Worker ${worker.host}:${worker.pid}`}>
      <header class="card-head">
        <h3 class="queue-name">
          {worker.host}
          <span class="muted">:{worker.pid}</span>
        </h3>
        {beat > LATE_MS && <span class="badge badge-warning">heartbeat late</span>}
        {delay !== null && delay > LOOP_WARN_MS && (
          <span class="badge badge-warning">event loop delayed</span>
        )}
      </header>
      <dl class="stats">
        <div class="stat">
          <dt>Worker id</dt>
          <dd class="mono" title={worker.id}>
            {shortId(worker.id)}
          </dd>
        </div>
        <div class="stat">
          <dt>Queues</dt>
          <dd>{worker.queues.length ? worker.queues.join(', ') : 'all'}</dd>
        </div>
        <div class="stat">
          <dt>Isolation</dt>
          <dd>{facts.isolation.length ? facts.isolation.join(', ') : 'inline'}</dd>
        </div>
        <div class="stat">
          <dt>Running</dt>
          <dd>
            {count(facts.running)} of {count(worker.concurrency)}
            <span class="meter" aria-hidden="true">
              <span style={{ width: `${Math.round(busy * 100)}%` }} />
            </span>
          </dd>
        </div>
        <div class="stat">
          <dt>Last heartbeat</dt>
          <dd>{relative(worker.heartbeatAt, now)}</dd>
        </div>
        <div class="stat">
          <dt>Up for</dt>
          <dd>{duration(now - worker.startedAt)}</dd>
        </div>
        <div class="stat">
          <dt>Event-loop delay</dt>
          <dd class={delay !== null && delay > LOOP_WARN_MS ? 'text-warning' : undefined}>
            {delay === null
              ? '—'
              : `p99 ${duration(delay)}${facts.loopDelayMaxMs !== null ? ` · max ${duration(facts.loopDelayMaxMs)}` : ''}`}
          </dd>
        </div>
      </dl>
      {facts.runningJobs.length > 0 && (
        <div class="running-jobs">
          <span class="muted">Running now:</span>{' '}
          {facts.runningJobs.slice(0, 20).map((id) => (
            <a key={id} class="mono chip" href={`#/jobs/${encodeURIComponent(id)}`} title={id}>
              {shortId(id)}
            </a>
          ))}
          {facts.runningJobs.length > 20 && (
            <span class="muted"> and {facts.runningJobs.length - 20} more</span>
          )}
        </div>
      )}
      {facts.loopBlocks.length > 0 && (
        <div class="notice notice-warning">
          <p>Inline jobs blocked the event loop (use isolation: 'thread' or 'process' for CPU-bound work):</p>
          <ul>
            {facts.loopBlocks
              .slice()
              .reverse()
              .map((block) => (
                <li key={block.at}>
                  {clock(block.at)}: blocked {duration(block.blockedMs)} while running{' '}
                  {block.tasks.join(', ')}
                </li>
              ))}
          </ul>
        </div>
      )}
    </article>
  );
}

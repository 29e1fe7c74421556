import { fileURLToPath } from 'node:url';
import pino from 'pino';
import type { Isolation } from '../../src/index.js';
import { createDocket, type Docket, type Job, type Worker, type WorkerOptions } from '../../src/index.js';
import type { LazyRunner } from '../../src/worker/runners/default-runners.js';
import type { PoolRunner, SlotPool } from '../../src/worker/runners/slot-pool.js';
import { tempSqliteUrl } from '../helpers/tmp.js';

/** The directory of task modules every runner test loads, as `docket worker --tasks` would. */
export const TASKS_DIR = fileURLToPath(new URL('./fixtures/tasks/', import.meta.url));

export const MODES: Isolation[] = ['inline', 'thread', 'process'];

/** A quiet logger; tests assert on events and stored jobs, not on log output. */
export const quiet = pino({ level: 'silent' });

/** A Docket on a fresh SQLite file with the fixture tasks, and a worker on it. */
export async function setup(options: WorkerOptions = {}): Promise<{
  docket: Docket;
  worker: Worker;
  close: () => Promise<void>;
}> {
  const db = tempSqliteUrl();
  const docket = await createDocket({ store: db.url, tasks: TASKS_DIR });
  const worker = docket.startWorker({ pollInterval: 50, maintenance: false, logger: quiet, ...options });
  return {
    docket,
    worker,
    close: async () => {
      await docket.close();
      db.cleanup();
    },
  };
}

/** The slot pool behind a worker's thread or process runner (created on first use). */
export function poolOf(worker: Worker, isolation: 'thread' | 'process'): SlotPool {
  return ((worker.runnerFor(isolation) as LazyRunner).instance as PoolRunner).pool;
}

/** The last attempt error of a finished job. */
export function lastError(job: Job): Job['errors'][number] {
  const error = job.errors.at(-1);
  if (!error) throw new Error(`job ${job.id} has no error (state ${job.state})`);
  return error;
}

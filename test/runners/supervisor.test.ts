import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createDocket, type Docket } from '../../src/index.js';
import { Supervisor } from '../../src/worker/supervisor.js';
import { tempSqliteUrl } from '../helpers/tmp.js';
import { until } from '../helpers/wait.js';
import { TASKS_DIR } from './helpers.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const quiet = pino({ level: 'silent' });

/** Live workers started by this supervisor, once there are `n`. */
async function supervisedWorkers(docket: Docket, supervisor: string, n: number) {
  return until(async () => {
    const workers = (await docket.listWorkers()).filter((w) => w.info.supervisor === supervisor);
    return workers.length === n ? workers : null;
  }, `${n} supervised workers in the registry`);
}

describe('supervisor', () => {
  let db: ReturnType<typeof tempSqliteUrl>;
  let docket: Docket;
  before(async () => {
    db = tempSqliteUrl();
    docket = await createDocket({ store: db.url, tasks: TASKS_DIR });
  });
  after(async () => {
    await docket.close();
    db.cleanup();
  });

  test('a SIGKILLed child is restarted and its job recovered', async () => {
    const supervisor = new Supervisor({
      processes: 2,
      script: fixture('supervised-worker.ts'),
      args: [db.url, TASKS_DIR],
      restartDelay: 50,
      logger: quiet,
    }).start();
    const exits: unknown[] = [];
    supervisor.on('exit', (slot: number, pid: number, code: number | null, signal: string | null) =>
      exits.push({ slot, pid, code, signal }),
    );
    let holderPid = 0;
    try {
      const workers = await supervisedWorkers(docket, supervisor.id, 2);
      assert.deepEqual(workers.map((w) => w.info.slot).sort(), [0, 1]);
      const job = await docket.enqueue('hold', {});
      const held = await until(async () => {
        const j = await docket.getJob(job.id);
        return j?.state === 'active' ? j : null;
      }, 'the job to be held');
      const holder = workers.find((w) => w.id === held.workerId)!;
      const slot = holder.info.slot as number;
      holderPid = holder.pid;
      const respawned = new Promise<number>((resolve) =>
        supervisor.on('spawn', (s: number, pid: number) => s === slot && resolve(pid)),
      );
      process.kill(holder.pid, 'SIGKILL');
      const newPid = await respawned;
      assert.notEqual(newPid, holder.pid);
      const done = await docket.waitFor(job.id);
      assert.equal(done.state, 'completed');
      assert.equal(done.attempt, 2);
      assert.match(done.errors[0]!.message, /lease expired/);
      // The restarted child registers itself (the killed one's record lingers until it expires).
      const fresh = await until(
        async () => (await docket.listWorkers()).find((w) => w.pid === newPid),
        'the restarted child in the registry',
      );
      assert.deepEqual([fresh.info.supervisor, fresh.info.slot], [supervisor.id, slot]);
    } finally {
      await supervisor.stop();
    }
    await supervisor.done;
    const left = (await docket.listWorkers()).filter((w) => w.info.supervisor === supervisor.id);
    assert.deepEqual(
      left.map((w) => w.pid),
      [holderPid],
      `stopped children leave the registry; only the killed one lingers until it expires: ${JSON.stringify(
        left.map((w) => ({
          pid: w.pid,
          slot: w.info.slot,
          startedAt: w.startedAt,
          heartbeatAt: w.heartbeatAt,
        })),
      )}; exits: ${JSON.stringify(exits)}`,
    );
  });

  test('a child that crashes in a loop makes the supervisor give up loudly', async () => {
    const supervisor = new Supervisor({
      processes: 1,
      script: fixture('crash-at-start.ts'),
      args: [],
      restartDelay: 10,
      maxRestarts: 2,
      logger: quiet,
    });
    let restarts = 0;
    supervisor.on('restart', () => restarts++);
    supervisor.start();
    await assert.rejects(
      supervisor.done,
      /exited with code 3; it died 3 times within 60s, so it is crashing in a loop/,
    );
    assert.equal(restarts, 2);
  });

  test('SIGTERM to the supervisor drains its children and hands their jobs back', async () => {
    const proc: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', fixture('run-supervisor.ts'), db.url, TASKS_DIR],
      { stdio: 'inherit' },
    );
    const exited = once(proc, 'exit');
    try {
      const workers = await until(async () => {
        const ws = (await docket.listWorkers()).filter((w) => w.info.supervisorPid === proc.pid);
        return ws.length === 2 ? ws : null;
      }, 'two children of the supervisor process');
      const job = await docket.enqueue('hold', {});
      await until(async () => (await docket.getJob(job.id))?.state === 'active', 'the job to be held');
      proc.kill('SIGTERM');
      const [code] = await exited;
      assert.equal(code, 0);
      const released = await docket.getJob(job.id);
      // Handed back at once, not after its lease, and without counting an attempt.
      assert.equal(released?.state, 'available');
      assert.deepEqual(released?.errors, []);
      const left = (await docket.listWorkers()).filter((w) => workers.some((x) => x.id === w.id));
      assert.deepEqual(left, []);
    } finally {
      if (proc.exitCode === null) proc.kill('SIGKILL');
    }
  });
});

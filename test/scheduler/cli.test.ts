import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { afterEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createDocket } from '../../src/index.js';
import { tempSqliteUrl } from '../helpers/tmp.js';
import { until } from '../helpers/wait.js';
import { cleanups, runCleanups, tick } from './helpers.js';

afterEach(runCleanups);

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const run = promisify(execFile);

async function docketCli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', MAIN, ...args]);
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

async function storeWithSchedule() {
  const { url, cleanup } = tempSqliteUrl();
  const docket = await createDocket({ store: url, tasks: [tick] });
  cleanups.push(cleanup, () => docket.close());
  await docket.schedule('nightly', {
    cron: '0 2 * * *',
    tz: 'Europe/Berlin',
    task: 'tick',
    missed: 'latest',
  });
  return { url, docket };
}

describe('docket schedules and docket scheduler', () => {
  it('lists, pauses, resumes, triggers and removes schedules', async () => {
    const { url, docket } = await storeWithSchedule();
    const list = await docketCli('schedules', '--store', url);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /SCHEDULE\s+WHEN/);
    assert.match(
      list.stdout,
      /nightly\s+0 2 \* \* \* Europe\/Berlin\s+tick\s+default\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/,
    );

    assert.match((await docketCli('schedules', 'pause', 'nightly', '--store', url)).stdout, /nightly paused/);
    assert.equal((await docket.getSchedule('nightly')).paused, true);
    const json = JSON.parse((await docketCli('schedules', '--json', '--store', url)).stdout) as {
      paused: boolean;
    }[];
    assert.equal(json[0]!.paused, true);
    assert.match(
      (await docketCli('schedules', 'resume', 'nightly', '--store', url)).stdout,
      /resumed; next run 20/,
    );

    const triggered = await docketCli('schedules', 'trigger', 'nightly', '--store', url);
    assert.match(triggered.stdout, /triggered: job (\d+) \(tick, queue default\)/);
    const id = /job (\d+)/.exec(triggered.stdout)![1]!;
    assert.equal((await docket.getJob(id))?.state, 'available');

    assert.match(
      (await docketCli('schedules', 'remove', 'nightly', '--store', url)).stdout,
      /nightly removed/,
    );
    assert.deepEqual(await docket.listSchedules(), []);
    const missing = await docketCli('schedules', 'trigger', 'nightly', '--store', url);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no schedule named "nightly" \(DOCKET_NOT_FOUND\)/);
  });

  it('`docket scheduler` fires ticks without task modules and stops on SIGTERM', async () => {
    const { url, docket } = await storeWithSchedule();
    await docket.schedule('fast', { every: '1s', task: 'tick' });
    const proc = spawn(process.execPath, ['--import', 'tsx', MAIN, 'scheduler', '--store', url], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
    cleanups.push(() => {
      if (proc.exitCode === null) proc.kill('SIGKILL');
    });
    await until(async () => (await docket.listJobs({ task: 'tick' })).jobs.length >= 2, 'two ticks fired');
    proc.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});

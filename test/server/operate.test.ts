import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { until } from '../helpers/wait.js';
import { call, type Harness, startServer } from './helpers.js';

describe('queues, workers, schedules, health, metrics, OpenAPI', () => {
  let h: Harness;
  before(async () => {
    h = await startServer();
  });
  after(() => h.close());

  test('queues: counts, one queue, pause/resume, backlog limit', async () => {
    await h.docket.enqueue('free', 1);
    const list = await call(`${h.url}/v1/queues`);
    assert.equal(list.status, 200);
    const free = list.body.queues.find((q: { name: string }) => q.name === 'free');
    assert.ok(free.counts.available >= 1);
    assert.equal(free.paused, false);
    const paused = await call(`${h.url}/v1/queues/free/pause`, { method: 'POST' });
    assert.deepEqual(paused.body, { name: 'free', paused: true, backlogLimit: null });
    assert.equal((await call(`${h.url}/v1/queues/free`)).body.paused, true);
    const resumed = await call(`${h.url}/v1/queues/free/resume`, { method: 'POST' });
    assert.equal(resumed.body.paused, false);
    const limited = await call(`${h.url}/v1/queues/free`, { method: 'PATCH', body: { backlogLimit: 10 } });
    assert.equal(limited.status, 200);
    assert.equal(limited.body.backlogLimit, 10);
    const cleared = await call(`${h.url}/v1/queues/free`, { method: 'PATCH', body: { backlogLimit: null } });
    assert.equal(cleared.body.backlogLimit, null);
    const bad = await call(`${h.url}/v1/queues/free`, { method: 'PATCH', body: { backlogLimit: -1 } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details.issues[0].path, 'backlogLimit');
    assert.equal((await call(`${h.url}/v1/queues/free`, { method: 'PATCH', body: {} })).status, 400);
    assert.equal((await call(`${h.url}/v1/queues/nosuch`)).status, 404);
  });

  test('workers: the live ones', async () => {
    const worker = h.docket.startWorker({ queues: ['none-here'], pollInterval: 50 });
    try {
      const found = await until(async () => {
        const res = await call(`${h.url}/v1/workers`);
        return res.body.workers.find((w: { id: string }) => w.id === worker.id);
      }, 'the worker to appear');
      assert.deepEqual(found.queues, ['none-here']);
    } finally {
      await worker.stop();
    }
    const res = await call(`${h.url}/v1/workers`);
    assert.equal(
      res.body.workers.some((w: { id: string }) => w.id === worker.id),
      false,
    );
  });

  test('schedules: declare, list with next runs, pause/resume, trigger, delete', async () => {
    const put = await call(`${h.url}/v1/schedules/nightly`, {
      method: 'PUT',
      body: { cron: '0 2 * * *', tz: 'Europe/Berlin', task: 'free', input: { n: 1 } },
    });
    assert.equal(put.status, 200);
    assert.equal(put.body.name, 'nightly');
    assert.deepEqual(put.body.job.input, { n: 1 });
    assert.ok(put.body.nextRunAt > Date.now());
    const list = await call(`${h.url}/v1/schedules?next=3`);
    const nightly = list.body.schedules.find((s: { name: string }) => s.name === 'nightly');
    assert.equal(nightly.nextRuns.length, 3);
    assert.ok(nightly.nextRuns[0] < nightly.nextRuns[1]);
    const paused = await call(`${h.url}/v1/schedules/nightly/pause`, { method: 'POST' });
    assert.equal(paused.body.paused, true);
    assert.equal(paused.body.nextRunAt, null);
    const resumed = await call(`${h.url}/v1/schedules/nightly/resume`, { method: 'POST' });
    assert.equal(resumed.body.paused, false);
    const trigger = await call(`${h.url}/v1/schedules/nightly/trigger`, { method: 'POST' });
    assert.equal(trigger.status, 202);
    assert.equal(trigger.headers.get('location'), `/v1/jobs/${trigger.body.id}`);
    assert.equal(trigger.body.task, 'free');
    const badCron = await call(`${h.url}/v1/schedules/bad`, {
      method: 'PUT',
      body: { cron: 'not cron', task: 'free' },
    });
    assert.equal(badCron.status, 400);
    assert.equal(badCron.body.error.details.issues[0].path, 'cron');
    const deleted = await call(`${h.url}/v1/schedules/nightly`, { method: 'DELETE' });
    assert.equal(deleted.status, 204);
    assert.equal((await call(`${h.url}/v1/schedules/nightly`)).status, 404);
    assert.equal((await call(`${h.url}/v1/schedules/nightly/trigger`, { method: 'POST' })).status, 404);
  });

  test('health, readiness, unknown routes', async () => {
    assert.deepEqual((await call(`${h.url}/healthz`)).body, { status: 'ok' });
    assert.deepEqual((await call(`${h.url}/readyz`)).body, { status: 'ready' });
    const unknown = await call(`${h.url}/v2/nothing`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'DOCKET_ROUTE_NOT_FOUND');
    assert.equal((await call(`${h.url}/`)).status, 404, '/ is left for the dashboard');
  });

  test('metrics: jobs by state and queue, counters, histograms, oldest wait', async () => {
    const job = await h.docket.enqueue('echo', { message: 'count me' });
    const worker = h.docket.startWorker({ queues: ['default'], pollInterval: 20 });
    try {
      await h.docket.waitFor(job.id, { timeout: '30s' });
    } finally {
      await worker.stop();
    }
    const text = await until(async () => {
      const res = await call(`${h.url}/metrics`);
      return /docket_jobs_completed_total\{queue="default",task="echo"\} 1/.test(res.body)
        ? (res.body as string)
        : null;
    }, 'the completion to be counted');
    assert.match(text, /docket_jobs\{queue="default",state="completed"\} 1/);
    assert.match(text, /docket_jobs_enqueued_total\{queue="default",task="echo"\} 1/);
    assert.match(text, /docket_job_wait_seconds_count\{queue="default"\} 1/);
    assert.match(text, /docket_job_run_seconds_count\{queue="default",state="completed"\} 1/);
    assert.match(text, /docket_oldest_waiting_job_age_seconds\{queue="free"\}/);
    assert.match(text, /docket_server_process_resident_memory_bytes/);
  });

  test('/openapi.json: OpenAPI 3.1 generated from the route schemas', async () => {
    const res = await call(`${h.url}/openapi.json`);
    assert.equal(res.status, 200);
    assert.equal(res.body.openapi, '3.1.0');
    const paths = Object.keys(res.body.paths);
    for (const path of [
      '/v1/jobs',
      '/v1/jobs:batch',
      '/v1/jobs/{id}',
      '/v1/jobs/{id}/events',
      '/v1/queues',
      '/v1/schedules',
    ]) {
      assert.ok(paths.includes(path), `${path} documented`);
    }
    assert.ok(res.body.components.schemas.Job);
    assert.ok(res.body.paths['/v1/jobs'].post.responses['202']);
    assert.ok(res.body.paths['/v1/jobs'].post.responses['429']);
  });
});

describe('static files', () => {
  test('dashboardDir is served at /, examples at /examples/, and API routes still win', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'docket-dashboard-'));
    writeFileSync(join(dir, 'index.html'), '<h1>dashboard</h1>');
    const h = await startServer({ dashboardDir: dir, examples: true, tokens: { admin: 'a', read: 'r' } });
    try {
      const index = await call(`${h.url}/`);
      assert.equal(index.status, 200);
      assert.match(index.body, /dashboard/);
      const example = await call(`${h.url}/examples/follow.html`);
      assert.equal(example.status, 200);
      assert.match(example.body, /docket-follow\.js/);
      const helper = await call(`${h.url}/docket-follow.js`);
      assert.match(helper.headers.get('content-type') ?? '', /javascript/);
      assert.match(helper.body, /export function followJob/);
      assert.equal((await call(`${h.url}/v1/queues`)).status, 401, 'the API keeps its auth');
      const missing = await call(`${h.url}/v1/nothing-here`);
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, 'DOCKET_ROUTE_NOT_FOUND');
    } finally {
      await h.close();
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { until } from '../helpers/wait.js';
import { call, echo, failing, free, gatedTask, type Harness, startServer } from './helpers.js';

describe('reading and operating jobs', () => {
  let h: Harness;
  const gated = gatedTask();
  before(async () => {
    h = await startServer({}, [echo, failing, free, gated.task]);
  });
  after(async () => {
    gated.release();
    await h.close();
  });

  test('GET /v1/jobs/{id}: the job with an ETag; 404 for none; logs on request', async () => {
    const job = await h.docket.enqueue('echo', { message: 'read me' });
    const res = await call(`${h.url}/v1/jobs/${job.id}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.id, job.id);
    assert.deepEqual(res.body.input, { message: 'read me' });
    assert.match(res.headers.get('etag') ?? '', /^".+"$/);
    assert.deepEqual(res.body.logs, undefined);
    const withLogs = await call(`${h.url}/v1/jobs/${job.id}?logs=true`);
    assert.deepEqual(withLogs.body.logs, []);
    const missing = await call(`${h.url}/v1/jobs/999999`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'DOCKET_NOT_FOUND');
    const badId = await call(`${h.url}/v1/jobs/${encodeURIComponent('1; drop table')}`);
    assert.equal(badId.status, 400);
  });

  test('GET /v1/jobs: filters and cursor pages', async () => {
    for (let i = 0; i < 5; i++) await h.docket.enqueue('free', i, { queue: 'paging' });
    const first = await call(`${h.url}/v1/jobs?queue=paging&limit=2`);
    assert.equal(first.status, 200);
    assert.equal(first.body.jobs.length, 2);
    assert.ok(first.body.nextCursor);
    const seen = [...first.body.jobs];
    let cursor = first.body.nextCursor;
    while (cursor) {
      const page = await call(`${h.url}/v1/jobs?queue=paging&limit=2&cursor=${cursor}`);
      seen.push(...page.body.jobs);
      cursor = page.body.nextCursor;
    }
    assert.deepEqual(
      seen.map((j) => j.input),
      [4, 3, 2, 1, 0],
    );
    const byState = await call(`${h.url}/v1/jobs?queue=paging&state=completed,failed`);
    assert.equal(byState.body.jobs.length, 0);
    const repeated = await call(`${h.url}/v1/jobs?queue=paging&state=available&state=failed`);
    assert.equal(repeated.body.jobs.length, 5);
    const byTask = await call(`${h.url}/v1/jobs?task=echo`);
    assert.ok(byTask.body.jobs.every((j: { task: string }) => j.task === 'echo'));
  });

  test('GET /v1/jobs: bad filters are 400 naming the parameter', async () => {
    const state = await call(`${h.url}/v1/jobs?state=done`);
    assert.equal(state.status, 400);
    assert.equal(state.body.error.details.issues[0].path, 'state');
    const limit = await call(`${h.url}/v1/jobs?limit=0`);
    assert.equal(limit.status, 400);
    assert.equal(limit.body.error.details.issues[0].path, 'limit');
    assert.equal(limit.body.error.details.issues[0].in, 'query');
    const extra = await call(`${h.url}/v1/jobs?colour=red`);
    assert.equal(extra.status, 400);
  });

  test('cancel a waiting job (200), then retry it (200); 409 for what the state forbids', async () => {
    const job = await h.docket.enqueue('free', 'x', { delay: '1h' });
    const cancelled = await call(`${h.url}/v1/jobs/${job.id}/cancel`, { method: 'POST' });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.state, 'cancelled');
    const again = await call(`${h.url}/v1/jobs/${job.id}/cancel`, { method: 'POST' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'DOCKET_INVALID_STATE');
    const retried = await call(`${h.url}/v1/jobs/${job.id}/retry`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(retried.status, 200);
    assert.equal(retried.body.state, 'available');
    const notFailed = await call(`${h.url}/v1/jobs/${job.id}/retry`, { method: 'POST' });
    assert.equal(notFailed.status, 409);
    assert.equal((await call(`${h.url}/v1/jobs/424242/retry`, { method: 'POST' })).status, 404);
  });

  test('delete: 204, then 404; a running job is 409; cancel of a running job is 202', async () => {
    const job = await h.docket.enqueue('free', 'gone');
    const deleted = await call(`${h.url}/v1/jobs/${job.id}`, { method: 'DELETE' });
    assert.equal(deleted.status, 204);
    assert.equal(await h.docket.getJob(job.id), null);
    assert.equal((await call(`${h.url}/v1/jobs/${job.id}`, { method: 'DELETE' })).status, 404);

    const running = await h.docket.enqueue(gated.task, {});
    const worker = h.docket.startWorker({ queues: ['gated'], pollInterval: 20 });
    try {
      await until(
        async () => (await h.docket.getJob(running.id))?.state === 'active',
        'the gated job to start',
      );
      const refused = await call(`${h.url}/v1/jobs/${running.id}`, { method: 'DELETE' });
      assert.equal(refused.status, 409);
      const cancel = await call(`${h.url}/v1/jobs/${running.id}/cancel`, { method: 'POST' });
      assert.equal(cancel.status, 202);
      assert.equal(cancel.body.cancelRequested, true);
      const done = await h.docket.waitFor(running.id, { timeout: '30s' });
      assert.equal(done.state, 'cancelled');
    } finally {
      await worker.stop();
    }
  });

  test('long poll: ?wait holds until the job is final', async () => {
    const job = await h.docket.enqueue('echo', { message: 'poll' });
    const pending = call(`${h.url}/v1/jobs/${job.id}?wait=30s`);
    const worker = h.docket.startWorker({ queues: ['default'], pollInterval: 20 });
    try {
      const res = await pending;
      assert.equal(res.status, 200);
      assert.equal(res.body.state, 'completed');
      assert.deepEqual(res.body.result, { echoed: 'poll' });
    } finally {
      await worker.stop();
    }
  });

  test('long poll with If-None-Match: returns when the version changes; 304 when it did not', async () => {
    const job = await h.docket.enqueue('free', 'v', { delay: '1h' });
    const first = await call(`${h.url}/v1/jobs/${job.id}`);
    const etag = first.headers.get('etag')!;
    const unchanged = await call(`${h.url}/v1/jobs/${job.id}?wait=50ms`, {
      headers: { 'if-none-match': etag },
    });
    assert.equal(unchanged.status, 304);
    const pending = call(`${h.url}/v1/jobs/${job.id}?wait=30s`, { headers: { 'if-none-match': etag } });
    await h.docket.cancel(job.id);
    const changed = await pending;
    assert.equal(changed.status, 200);
    assert.equal(changed.body.state, 'cancelled');
    assert.notEqual(changed.headers.get('etag'), etag);
    const badWait = await call(`${h.url}/v1/jobs/${job.id}?wait=forever`);
    assert.equal(badWait.status, 400);
    assert.equal(badWait.body.error.details.issues[0].path, 'wait');
  });

  test('job errors carry their stack traces for operators (an open server counts as one)', async () => {
    const job = await h.docket.enqueue(failing, {});
    const worker = h.docket.startWorker({ queues: ['default'], pollInterval: 20 });
    try {
      await h.docket.waitFor(job.id, { timeout: '30s' });
    } finally {
      await worker.stop();
    }
    const res = await call(`${h.url}/v1/jobs/${job.id}`);
    assert.equal(res.body.state, 'failed');
    assert.equal(res.body.errors[0].message, 'it broke');
    assert.match(res.body.errors[0].stack, /it broke\n\s+at /);
    const list = await call(`${h.url}/v1/jobs?state=failed&task=failing`);
    assert.match(list.body.jobs[0].errors[0].stack, /it broke/);
  });
});

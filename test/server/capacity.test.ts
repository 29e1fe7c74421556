import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, type Harness, startServer } from './helpers.js';

describe('capacity, statistics and queue gauges over HTTP', () => {
  let h: Harness;
  before(async () => {
    h = await startServer({ tokens: { read: 'r-token', admin: 'a-token' } });
  });
  after(() => h.close());
  const read = { authorization: 'Bearer r-token' };

  test('GET /v1/capacity and /v1/stats report what the workers measured', async () => {
    const jobs = await h.docket.enqueueMany(
      Array.from({ length: 5 }, (_, i) => ({ task: 'echo', input: { message: `m${i}` } })),
    );
    const worker = h.docket.startWorker({ queues: ['default'], concurrency: 3, pollInterval: 20 });
    for (const job of jobs) await h.docket.waitFor(job.id, { timeout: '30s' });
    const capacity = await call(`${h.url}/v1/capacity?queue=default&targetWait=2s`, { headers: read });
    assert.equal(capacity.status, 200);
    const [q] = capacity.body.queues;
    assert.equal(q.queue, 'default');
    assert.equal(q.arrivals, 5);
    assert.equal(q.finished, 5);
    assert.equal(q.concurrency, 3);
    assert.equal(q.targetWaitMs, 2000);
    assert.equal(q.model, 'littles-law');
    assert.ok(q.notes.length >= 1);
    const stats = await call(`${h.url}/v1/stats?queue=default`, { headers: read });
    assert.equal(stats.status, 200);
    assert.equal(
      stats.body.buckets.reduce((n: number, b: { completions: number }) => n + b.completions, 0),
      5,
    );
    const metrics = await call(`${h.url}/metrics`, { headers: read });
    assert.match(metrics.body, /docket_queue_slots\{queue="default"\} 3/);
    assert.match(metrics.body, /docket_queue_depth\{queue="default"\} 0/);
    assert.match(metrics.body, /docket_queue_busy_slots\{queue="default"\} 0/);
    await worker.stop();
  });

  test('bad parameters get a 400 naming them; no token gets 401', async () => {
    const bad = await call(`${h.url}/v1/capacity?targetWait=soon`, { headers: read });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body.error), /targetWait/);
    assert.equal((await call(`${h.url}/v1/capacity`)).status, 401);
    assert.equal((await call(`${h.url}/v1/stats?since=yesterday`, { headers: read })).status, 400);
  });
});

import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { call, type Harness, startServer } from './helpers.js';

describe('POST /v1/jobs', () => {
  let h: Harness;
  before(async () => {
    h = await startServer({ bodyLimit: 64 * 1024, maxJsonDepth: 32 });
  });
  after(() => h.close());

  test('202 with Location and the stored job', async () => {
    const res = await call(`${h.url}/v1/jobs`, {
      body: { task: 'echo', input: { message: 'hi' }, priority: 5 },
    });
    assert.equal(res.status, 202);
    assert.equal(res.headers.get('location'), `/v1/jobs/${res.body.id}`);
    assert.equal(res.body.state, 'available');
    assert.equal(res.body.priority, 5);
    assert.equal(res.body.duplicate, false);
    assert.deepEqual((await h.docket.getJob(res.body.id))?.input, { message: 'hi' });
  });

  test('delay and runAt schedule the job', async () => {
    const delayed = await call(`${h.url}/v1/jobs`, {
      body: { task: 'echo', input: { message: 'a' }, delay: '1h' },
    });
    assert.equal(delayed.status, 202);
    assert.equal(delayed.body.state, 'scheduled');
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const timed = await call(`${h.url}/v1/jobs`, {
      body: { task: 'echo', input: { message: 'b' }, runAt: at },
    });
    assert.equal(timed.body.state, 'scheduled');
    assert.equal(timed.body.runAt, Date.parse(at));
  });

  test('Idempotency-Key: a repeat returns the same job with 200, even once it finished', async () => {
    const headers = { 'idempotency-key': 'order-42' };
    const first = await call(`${h.url}/v1/jobs`, { body: { task: 'free', input: 1 }, headers });
    assert.equal(first.status, 202);
    const again = await call(`${h.url}/v1/jobs`, { body: { task: 'free', input: 1 }, headers });
    assert.equal(again.status, 200);
    assert.equal(again.body.id, first.body.id);
    assert.equal(again.body.duplicate, true);
    assert.equal(again.headers.get('location'), `/v1/jobs/${first.body.id}`);
    await h.docket.cancel(first.body.id);
    const afterFinish = await call(`${h.url}/v1/jobs`, { body: { task: 'free', input: 1 }, headers });
    assert.equal(afterFinish.status, 200);
    assert.equal(afterFinish.body.id, first.body.id);
    const counted = await h.docket.listJobs({ key: 'order-42' });
    assert.equal(counted.jobs.length, 1);
  });

  test('a body key that differs from Idempotency-Key is refused', async () => {
    const res = await call(`${h.url}/v1/jobs`, {
      body: { task: 'free', input: 1, key: 'a' },
      headers: { 'idempotency-key': 'b' },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.details.issues[0].path, 'key');
  });

  test('invalid input: 400 naming the field under input', async () => {
    const res = await call(`${h.url}/v1/jobs`, { body: { task: 'echo', input: { message: 42 } } });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'DOCKET_INVALID_INPUT');
    assert.deepEqual(
      res.body.error.details.issues.map((i: { path: string }) => i.path),
      ['input.message'],
    );
    assert.equal(res.body.error.stack, undefined);
  });

  test('wrong types and unknown fields in the envelope are named', async () => {
    const typed = await call(`${h.url}/v1/jobs`, { body: { task: 'echo', input: {}, priority: 'high' } });
    assert.equal(typed.status, 400);
    assert.equal(typed.body.error.details.issues[0].path, 'priority');
    const typo = await call(`${h.url}/v1/jobs`, { body: { task: 'echo', input: {}, dealy: '5m' } });
    assert.equal(typo.status, 400);
    assert.equal(typo.body.error.details.issues[0].path, 'dealy');
    const missing = await call(`${h.url}/v1/jobs`, { body: { input: {} } });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.details.issues[0].path, 'task');
    const badDelay = await call(`${h.url}/v1/jobs`, {
      body: { task: 'echo', input: { message: 'x' }, delay: 'soon' },
    });
    assert.equal(badDelay.status, 400);
    assert.equal(badDelay.body.error.details.issues[0].path, 'delay');
  });

  test('unknown task: 404 listing the known ones', async () => {
    const res = await call(`${h.url}/v1/jobs`, { body: { task: 'nope', input: {} } });
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'DOCKET_UNKNOWN_TASK');
    assert.deepEqual(res.body.error.details.known, ['echo', 'failing', 'free']);
  });

  test('malformed JSON: 400; not JSON: 415; too deep: 400', async () => {
    const bad = await call(`${h.url}/v1/jobs`, {
      raw: '{"task": "echo",',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'DOCKET_MALFORMED_JSON');
    const text = await call(`${h.url}/v1/jobs`, {
      raw: 'task=echo',
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(text.status, 415);
    assert.equal(text.body.error.code, 'DOCKET_UNSUPPORTED_MEDIA_TYPE');
    const deep = `{"task":"free","input":${'['.repeat(1000)}${']'.repeat(1000)}}`;
    const tooDeep = await call(`${h.url}/v1/jobs`, {
      raw: deep,
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(tooDeep.status, 400);
    assert.equal(tooDeep.body.error.code, 'DOCKET_INVALID_INPUT');
  });

  test('a body over the limit gets 413 before it is all sent', async () => {
    const port = new URL(h.url).port;
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/jobs',
        headers: { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: text });
          req.destroy();
        });
      });
      req.on('error', (error) =>
        error.message.includes('EPIPE') || error.message.includes('reset') ? undefined : reject(error),
      );
      // Only the first bytes: the answer must come without the other 10 MiB.
      req.write('{"task":"free","input":"');
    });
    assert.equal(status, 413);
    assert.equal(JSON.parse(body).error.code, 'DOCKET_PAYLOAD_TOO_LARGE');
  });

  test('an input over the payload limit: 413', async () => {
    const big = await call(`${h.url}/v1/jobs`, { body: { task: 'free', input: 'x'.repeat(70 * 1024) } });
    assert.equal(big.status, 413);
  });

  test('over the backlog limit: 429 with Retry-After, and nothing stored', async () => {
    await h.docket.setQueue('free', { backlogLimit: 1 });
    const before = (await h.docket.counts('free'))[0]?.counts.available ?? 0;
    await h.docket.setQueue('free', { backlogLimit: before + 1 });
    const ok = await call(`${h.url}/v1/jobs`, { body: { task: 'free', input: 'fits' } });
    assert.equal(ok.status, 202);
    const full = await call(`${h.url}/v1/jobs`, { body: { task: 'free', input: 'too many' } });
    assert.equal(full.status, 429);
    assert.equal(full.body.error.code, 'DOCKET_QUEUE_FULL');
    const retryAfter = Number(full.headers.get('retry-after'));
    assert.ok(retryAfter >= 1, `Retry-After ${retryAfter}`);
    assert.equal(full.body.error.details.retryAfter, retryAfter);
    assert.equal((await h.docket.counts('free'))[0]?.counts.available, before + 1);
    await h.docket.setQueue('free', { backlogLimit: null });
  });
});

describe('POST /v1/jobs:batch', () => {
  let h: Harness;
  before(async () => {
    h = await startServer();
  });
  after(() => h.close());

  test('stores every job: 202 with each', async () => {
    const res = await call(`${h.url}/v1/jobs:batch`, {
      body: {
        jobs: [
          { task: 'echo', input: { message: 'a' } },
          { task: 'free', input: 2, priority: 3 },
        ],
      },
    });
    assert.equal(res.status, 202);
    assert.equal(res.body.jobs.length, 2);
    assert.equal(res.body.jobs[1].priority, 3);
  });

  test('one bad item refuses them all, naming jobs.<i>.<field>', async () => {
    const before = (await h.docket.listJobs({ limit: 1000 })).jobs.length;
    const res = await call(`${h.url}/v1/jobs:batch`, {
      body: {
        jobs: [
          { task: 'echo', input: { message: 'ok' } },
          { task: 'echo', input: { message: 7 } },
        ],
      },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.details.index, 1);
    assert.equal(res.body.error.details.issues[0].path, 'jobs.1.input.message');
    const unknown = await call(`${h.url}/v1/jobs:batch`, {
      body: { jobs: [{ task: 'echo', input: { message: 'ok' } }, { task: 'ghost' }] },
    });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.details.index, 1);
    assert.equal((await h.docket.listJobs({ limit: 1000 })).jobs.length, before);
  });

  test('an empty or oversized batch is refused', async () => {
    const empty = await call(`${h.url}/v1/jobs:batch`, { body: { jobs: [] } });
    assert.equal(empty.status, 400);
    const notArray = await call(`${h.url}/v1/jobs:batch`, { body: { jobs: 'x' } });
    assert.equal(notArray.status, 400);
    assert.match(notArray.body.error.details.issues[0].path, /^jobs/);
  });
});

describe('store unreachable', () => {
  test('503 with Retry-After, and /readyz says so', async () => {
    const h = await startServer();
    try {
      await h.docket.store.close();
      const res = await call(`${h.url}/v1/jobs/1`);
      assert.equal(res.status, 503);
      assert.equal(res.body.error.code, 'DOCKET_STORE_UNAVAILABLE');
      assert.ok(Number(res.headers.get('retry-after')) >= 1);
      const ready = await call(`${h.url}/readyz`);
      assert.equal(ready.status, 503);
      assert.ok(ready.headers.get('retry-after'));
      assert.equal((await call(`${h.url}/healthz`)).status, 200);
    } finally {
      await h.server.close();
      await h.docket.close().catch(() => {});
    }
  });
});

// GET /v1/session, and who sees stack traces: read and admin tokens (the
// operators) do, follow tokens (end users' browsers) never do.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseSse } from '../../src/http-client/sse-parser.js';
import { call, failing, free, type Harness, startServer } from './helpers.js';

const ADMIN = 'admin-token-for-session';
const READ = 'read-token-for-session';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Enqueues a job of `failing` over HTTP (for its follow token) and runs it to failure. */
async function failedJob(h: Harness): Promise<{ id: string; followToken: string }> {
  const res = await call(`${h.url}/v1/jobs`, {
    body: { task: 'failing', input: {} },
    headers: bearer(ADMIN),
  });
  assert.equal(res.status, 202);
  const worker = h.docket.startWorker({ queues: ['default'], pollInterval: 20 });
  try {
    await h.docket.waitFor(res.body.id, { timeout: '30s' });
  } finally {
    await worker.stop();
  }
  return { id: res.body.id, followToken: res.body.followToken };
}

/** The `end` event's job, read from the job's SSE stream. */
async function endEvent(
  url: string,
  headers: Record<string, string>,
): Promise<{ errors: { stack?: string }[] }> {
  const response = await fetch(url, { headers });
  assert.equal(response.status, 200);
  for await (const message of parseSse(response.body!)) {
    if (message.event === 'end') return JSON.parse(message.data).job;
  }
  throw new Error('the stream ended without an end event');
}

describe('session and stack traces, with tokens', () => {
  let h: Harness;
  let job: { id: string; followToken: string };
  before(async () => {
    h = await startServer({ tokens: { admin: ADMIN, read: READ } }, [failing, free]);
    job = await failedJob(h);
  });
  after(() => h.close());

  test('GET /v1/session: the role of the token; 401 without a valid one', async () => {
    assert.deepEqual((await call(`${h.url}/v1/session`, { headers: bearer(ADMIN) })).body, { role: 'admin' });
    assert.deepEqual((await call(`${h.url}/v1/session`, { headers: bearer(READ) })).body, { role: 'read' });
    const none = await call(`${h.url}/v1/session`);
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'DOCKET_UNAUTHORIZED');
    assert.equal((await call(`${h.url}/v1/session`, { headers: bearer('guess') })).status, 401);
    // A follow token is for its one job, not a session.
    assert.equal((await call(`${h.url}/v1/session`, { headers: bearer(job.followToken) })).status, 401);
  });

  test('read and admin tokens see stack traces; a follow token never does', async () => {
    for (const token of [READ, ADMIN]) {
      const res = await call(`${h.url}/v1/jobs/${job.id}`, { headers: bearer(token) });
      assert.match(res.body.errors[0].stack ?? '', /it broke\n\s+at /, 'stack for an operator token');
    }
    const followed = await call(`${h.url}/v1/jobs/${job.id}`, { headers: bearer(job.followToken) });
    assert.equal(followed.status, 200);
    assert.equal(followed.body.errors[0].message, 'it broke');
    assert.equal(followed.body.errors[0].stack, undefined);
    const inQuery = await call(
      `${h.url}/v1/jobs/${job.id}?access_token=${encodeURIComponent(job.followToken)}`,
    );
    assert.equal(inQuery.body.errors[0].stack, undefined);
  });

  test("the events stream's end carries stacks for a read token, not for a follow token", async () => {
    const events = `${h.url}/v1/jobs/${job.id}/events`;
    const operator = await endEvent(events, bearer(READ));
    assert.match(operator.errors[0]?.stack ?? '', /it broke/);
    const follower = await endEvent(`${events}?access_token=${encodeURIComponent(job.followToken)}`, {});
    assert.equal(follower.errors[0]?.stack, undefined);
  });
});

describe('session and stack traces, without tokens or with stacks off', () => {
  test('an open server says open, and shows stacks', async () => {
    const h = await startServer({}, [failing, free]);
    try {
      assert.deepEqual((await call(`${h.url}/v1/session`)).body, { role: 'open' });
      const job = await h.docket.enqueue(failing, {});
      const worker = h.docket.startWorker({ queues: ['default'], pollInterval: 20 });
      await h.docket.waitFor(job.id, { timeout: '30s' }).finally(() => worker.stop());
      assert.match((await call(`${h.url}/v1/jobs/${job.id}`)).body.errors[0].stack, /it broke/);
    } finally {
      await h.close();
    }
  });

  test('exposeStacks: false hides stacks from every token', async () => {
    const h = await startServer({ tokens: { admin: ADMIN, read: READ }, exposeStacks: false }, [
      failing,
      free,
    ]);
    try {
      const job = await failedJob(h);
      for (const token of [ADMIN, READ]) {
        const res = await call(`${h.url}/v1/jobs/${job.id}`, { headers: bearer(token) });
        assert.equal(res.body.errors[0].message, 'it broke');
        assert.equal(res.body.errors[0].stack, undefined);
      }
      assert.ok((await h.docket.getJob(job.id))?.errors[0]?.stack, 'the store keeps the stack');
    } finally {
      await h.close();
    }
  });
});

// Text search in GET /v1/jobs, GET /v1/jobs:count, and the bulk routes
// POST /v1/jobs:retry|cancel|delete (by ids or by filter).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, failing, free, type Harness, startServer } from './helpers.js';

const ADMIN = 'admin-token-for-bulk';
const READ = 'read-token-for-bulk';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('search, count and bulk actions', () => {
  let h: Harness;
  const admin = (path: string, body?: unknown) =>
    call(`${h.url}${path}`, { ...(body === undefined ? {} : { body }), headers: bearer(ADMIN) });
  const read = (path: string) => call(`${h.url}${path}`, { headers: bearer(READ) });

  /** Fails `n` jobs of `failing` on `queue` (input carries `tag`), returning their ids. */
  async function failedJobs(queue: string, n: number, tag: string): Promise<string[]> {
    const jobs = await h.docket.enqueueMany(
      Array.from({ length: n }, (_, i) => ({ task: 'failing', input: { tag, i }, options: { queue } })),
    );
    const worker = h.docket.startWorker({ queues: [queue], pollInterval: 20 });
    try {
      for (const job of jobs) await h.docket.waitFor(job.id, { timeout: '30s' });
    } finally {
      await worker.stop();
    }
    return jobs.map((j) => j.id);
  }

  before(async () => {
    h = await startServer({ tokens: { admin: ADMIN, read: READ } }, [failing, free]);
  });
  after(() => h.close());

  test('GET /v1/jobs?text= finds jobs by text in their input, case-insensitively', async () => {
    const ada = await h.docket.enqueue('free', { to: 'Ada@Example.com' }, { queue: 'search' });
    await h.docket.enqueue('free', { to: 'grace@example.com' }, { queue: 'search' });
    const found = await read('/v1/jobs?text=ada%40example');
    assert.equal(found.status, 200);
    assert.deepEqual(
      found.body.jobs.map((j: { id: string }) => j.id),
      [ada.id],
    );
    const both = await read('/v1/jobs?queue=search&text=EXAMPLE.COM');
    assert.equal(both.body.jobs.length, 2);
    assert.equal((await read('/v1/jobs?text=nobody-has-this')).body.jobs.length, 0);
    const long = await read(`/v1/jobs?text=${'x'.repeat(201)}`);
    assert.equal(long.status, 400);
    assert.equal(long.body.error.details.issues[0].path, 'text');
  });

  test('GET /v1/jobs:count: by queue and state, by text, and what an action would touch', async () => {
    await failedJobs('counted', 3, 'count-me');
    await h.docket.enqueue('free', { tag: 'count-me' }, { queue: 'counted', delay: '1h' });
    assert.deepEqual((await read('/v1/jobs:count?queue=counted')).body, { count: 4, capped: false });
    assert.equal((await read('/v1/jobs:count?queue=counted&state=failed')).body.count, 3);
    assert.equal((await read('/v1/jobs:count?queue=counted&action=retry')).body.count, 3);
    assert.equal((await read('/v1/jobs:count?queue=counted&action=cancel')).body.count, 1);
    assert.equal((await read('/v1/jobs:count?queue=counted&state=failed&action=cancel')).body.count, 0);
    assert.equal((await read('/v1/jobs:count?text=count-me&action=delete')).body.count, 4);
    assert.equal((await read('/v1/jobs:count?text=count-me&task=free')).body.count, 1);

    const state = await read('/v1/jobs:count?state=done');
    assert.equal(state.status, 400);
    assert.equal(state.body.error.details.issues[0].path, 'state');
    const action = await read('/v1/jobs:count?action=explode');
    assert.equal(action.status, 400);
    assert.equal(action.body.error.details.issues[0].path, 'action');
    assert.equal((await call(`${h.url}/v1/jobs:count`)).status, 401);
  });

  test('POST /v1/jobs:retry by ids: counts what changed, what was skipped, what was not found', async () => {
    const ids = await failedJobs('by-ids', 2, 'ids');
    const waiting = await h.docket.enqueue('free', 1, { queue: 'by-ids-waiting' });
    const res = await admin('/v1/jobs:retry', { ids: [...ids, waiting.id, 'nosuchjob', ids[0]] });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { matched: 3, changed: 2, skipped: 1, notFound: 1, more: false });
    for (const id of ids) assert.equal((await h.docket.getJob(id))?.state, 'available');
    assert.equal((await h.docket.getJob(waiting.id))?.state, 'available');
  });

  test('POST /v1/jobs:cancel and :delete by filter act only on jobs matching it', async () => {
    const later = await h.docket.enqueueMany(
      ['a', 'b', 'c'].map((who) => ({
        task: 'free',
        input: { who },
        options: { queue: 'later', delay: '1h' },
      })),
    );
    const other = await h.docket.enqueue('free', { who: 'd' }, { queue: 'later-too', delay: '1h' });
    const cancelled = await admin('/v1/jobs:cancel', { filter: { queue: 'later', state: ['scheduled'] } });
    assert.deepEqual(cancelled.body, { matched: 3, changed: 3, skipped: 0, notFound: 0, more: false });
    for (const job of later) assert.equal((await h.docket.getJob(job.id))?.state, 'cancelled');
    assert.equal((await h.docket.getJob(other.id))?.state, 'scheduled');

    const deleted = await admin('/v1/jobs:delete', { filter: { queue: 'later', text: '"who":"b"' } });
    assert.deepEqual(deleted.body, { matched: 1, changed: 1, skipped: 0, notFound: 0, more: false });
    assert.equal(await h.docket.getJob(later[1]!.id), null);
    assert.ok(await h.docket.getJob(later[0]!.id));
    // Nothing left to cancel: matched 0, not an error.
    const again = await admin('/v1/jobs:cancel', { filter: { queue: 'later' } });
    assert.deepEqual(again.body, { matched: 0, changed: 0, skipped: 0, notFound: 0, more: false });
  });

  test('a filter acts on at most 1000 jobs per request and says there are more', async () => {
    await h.docket.enqueueMany(
      Array.from({ length: 1003 }, (_, i) => ({ task: 'free', input: i, options: { queue: 'many' } })),
    );
    const first = await admin('/v1/jobs:delete', { filter: { queue: 'many' } });
    assert.deepEqual(first.body, { matched: 1000, changed: 1000, skipped: 0, notFound: 0, more: true });
    const rest = await admin('/v1/jobs:delete', { filter: { queue: 'many' } });
    assert.deepEqual(rest.body, { matched: 3, changed: 3, skipped: 0, notFound: 0, more: false });
    assert.equal((await h.docket.listJobs({ queue: 'many' })).jobs.length, 0);
  });

  test('bulk validation: 400 naming the field, and nothing changes', async () => {
    const job = await h.docket.enqueue('free', 1, { queue: 'untouched' });
    const cases: [unknown, string][] = [
      [{}, 'ids'],
      [{ ids: [job.id], filter: { queue: 'untouched' } }, 'ids'],
      [{ ids: [] }, 'ids'],
      [{ ids: Array.from({ length: 1001 }, (_, i) => `id${i}`) }, 'ids'],
      [{ ids: ['not an id!'] }, 'ids.0'],
      [{ filter: { state: ['done'] } }, 'filter.state.0'],
      [{ filter: { queue: 'untouched', bogus: 1 } }, 'filter.bogus'],
      [{ filter: { text: 'x'.repeat(201) } }, 'filter.text'],
      [{ idz: [job.id] }, 'idz'],
    ];
    for (const [body, path] of cases) {
      const res = await admin('/v1/jobs:delete', body);
      assert.equal(res.status, 400, JSON.stringify(body).slice(0, 80));
      assert.equal(res.body.error.code, 'DOCKET_INVALID_INPUT');
      assert.equal(res.body.error.details.issues[0].path, path, JSON.stringify(body).slice(0, 80));
    }
    assert.equal((await h.docket.getJob(job.id))?.state, 'available');
  });

  test('bulk routes need the admin token: read 403, none 401', async () => {
    const job = await h.docket.enqueue('free', 1, { queue: 'guarded' });
    for (const action of ['retry', 'cancel', 'delete']) {
      const reader = await call(`${h.url}/v1/jobs:${action}`, {
        body: { ids: [job.id] },
        headers: bearer(READ),
      });
      assert.equal(reader.status, 403);
      assert.equal(reader.body.error.code, 'DOCKET_FORBIDDEN');
      assert.equal((await call(`${h.url}/v1/jobs:${action}`, { body: { ids: [job.id] } })).status, 401);
    }
    assert.equal((await h.docket.getJob(job.id))?.state, 'available');
  });

  test('the OpenAPI document lists the new routes', async () => {
    const spec = (await call(`${h.url}/openapi.json`)).body;
    for (const path of [
      '/v1/jobs:retry',
      '/v1/jobs:cancel',
      '/v1/jobs:delete',
      '/v1/jobs:count',
      '/v1/session',
    ]) {
      assert.ok(spec.paths[path], `${path} is in the spec`);
    }
    const listParams = spec.paths['/v1/jobs'].get.parameters.map((p: { name: string }) => p.name);
    assert.ok(listParams.includes('text'));
  });
});

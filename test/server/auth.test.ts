import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { createServer } from '../../src/server/index.js';
import { call, type Harness, startServer } from './helpers.js';

const ADMIN = 'admin-secret-token';
const READ = 'read-only-token';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('auth', () => {
  let h: Harness;
  let writes: { method: string; path: string }[];
  let reads: string[];
  before(async () => {
    h = await startServer({ tokens: { admin: ADMIN, read: READ } });
    const spec = (await call(`${h.url}/openapi.json`)).body;
    writes = [];
    reads = [];
    for (const [path, methods] of Object.entries<Record<string, unknown>>(spec.paths)) {
      const concrete = path.replace('{id}', '1').replace('{name}', 'default');
      for (const method of Object.keys(methods)) {
        if (method === 'get') reads.push(concrete);
        else writes.push({ method: method.toUpperCase(), path: concrete });
      }
    }
  });
  after(() => h.close());

  test('the spec lists the write routes checked below', () => {
    const names = writes.map((w) => `${w.method} ${w.path}`);
    for (const expected of [
      'POST /v1/jobs',
      'POST /v1/jobs:batch',
      'POST /v1/jobs/1/retry',
      'POST /v1/jobs:retry',
      'POST /v1/jobs:cancel',
      'POST /v1/jobs:delete',
      'POST /v1/jobs/1/cancel',
      'DELETE /v1/jobs/1',
      'POST /v1/queues/default/pause',
      'POST /v1/queues/default/resume',
      'PATCH /v1/queues/default',
      'PUT /v1/schedules/default',
      'DELETE /v1/schedules/default',
      'POST /v1/schedules/default/trigger',
    ]) {
      assert.ok(names.includes(expected), `${expected} is in the spec`);
    }
  });

  test('every write route: no token 401, read token 403, and nothing changes', async () => {
    const before = await h.docket.listJobs({ limit: 1000 });
    for (const { method, path } of writes) {
      const anonymous = await call(`${h.url}${path}`, { method, body: {} });
      assert.equal(anonymous.status, 401, `${method} ${path} without a token`);
      assert.equal(anonymous.body.error.code, 'DOCKET_UNAUTHORIZED');
      assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Bearer/);
      const reader = await call(`${h.url}${path}`, { method, body: {}, headers: bearer(READ) });
      assert.equal(reader.status, 403, `${method} ${path} with the read token`);
      assert.equal(reader.body.error.code, 'DOCKET_FORBIDDEN');
      const wrong = await call(`${h.url}${path}`, { method, body: {}, headers: bearer('guess') });
      assert.equal(wrong.status, 401, `${method} ${path} with a wrong token`);
    }
    assert.deepEqual(await h.docket.listJobs({ limit: 1000 }), before);
  });

  test('every read route: read token allowed, no token refused (health and the spec are public)', async () => {
    const open = new Set(['/healthz', '/readyz']);
    for (const path of reads) {
      const anonymous = await call(`${h.url}${path}`);
      if (open.has(path)) assert.equal(anonymous.status, 200, path);
      else assert.equal(anonymous.status, 401, `${path} without a token`);
      const reader = await call(`${h.url}${path}`, { headers: bearer(READ) });
      assert.notEqual(reader.status, 401, path);
      assert.notEqual(reader.status, 403, path);
    }
    assert.equal((await call(`${h.url}/openapi.json`)).status, 200);
    assert.equal((await call(`${h.url}/docket-follow.js`)).status, 200);
  });

  test('the admin token may write', async () => {
    const res = await call(`${h.url}/v1/jobs`, { body: { task: 'free', input: 1 }, headers: bearer(ADMIN) });
    assert.equal(res.status, 202);
    assert.ok(res.body.followToken);
  });

  test('a follow token reads its own job (header or ?access_token), nothing else', async () => {
    const mine = await call(`${h.url}/v1/jobs`, {
      body: { task: 'free', input: 'mine' },
      headers: bearer(ADMIN),
    });
    const other = await call(`${h.url}/v1/jobs`, {
      body: { task: 'free', input: 'other' },
      headers: bearer(ADMIN),
    });
    const token = mine.body.followToken as string;
    assert.equal((await call(`${h.url}/v1/jobs/${mine.body.id}`, { headers: bearer(token) })).status, 200);
    const query = await call(`${h.url}/v1/jobs/${mine.body.id}?access_token=${encodeURIComponent(token)}`);
    assert.equal(query.status, 200);
    assert.equal(query.body.input, 'mine');
    assert.equal((await call(`${h.url}/v1/jobs/${other.body.id}?access_token=${token}`)).status, 401);
    assert.equal((await call(`${h.url}/v1/jobs`, { headers: bearer(token) })).status, 401);
    assert.equal(
      (await call(`${h.url}/v1/jobs/${mine.body.id}/cancel`, { method: 'POST', headers: bearer(token) }))
        .status,
      401,
    );
    const tampered = `${token.split('.')[0]}.${'A'.repeat(43)}`;
    assert.equal((await call(`${h.url}/v1/jobs/${mine.body.id}?access_token=${tampered}`)).status, 401);
    // A read token is not accepted in the URL (URLs end up in logs).
    assert.equal((await call(`${h.url}/v1/jobs/${mine.body.id}?access_token=${READ}`)).status, 401);
  });

  test('CORS is off by default', async () => {
    const res = await call(`${h.url}/healthz`, { headers: { origin: 'https://app.example' } });
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });
});

describe('auth off, CORS and rate limits', () => {
  test('with no tokens the server binds 127.0.0.1 even when asked for 0.0.0.0, and says so', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const h = await startServer({ host: '0.0.0.0', logger });
    try {
      assert.equal(h.server.address?.host, '127.0.0.1');
      assert.ok(h.url.startsWith('http://127.0.0.1:'));
      assert.ok(lines.some((line) => line.includes('no API tokens configured')));
      assert.equal((await call(`${h.url}/v1/jobs`, { body: { task: 'free', input: 1 } })).status, 202);
    } finally {
      await h.close();
    }
  });

  test('with tokens the requested host is used', async () => {
    const h = await startServer({ tokens: { admin: ADMIN } });
    try {
      const server = await createServer(h.docket, {
        tokens: { admin: ADMIN },
        host: '0.0.0.0',
        port: 0,
        logger: pino({ level: 'silent' }),
      });
      const address = await server.listen();
      assert.equal(address.host, '0.0.0.0');
      await server.close();
    } finally {
      await h.close();
    }
  });

  test('CORS per origin: allowed origins get the headers, others do not', async () => {
    const h = await startServer({ cors: ['https://app.example'] });
    try {
      const allowed = await call(`${h.url}/healthz`, { headers: { origin: 'https://app.example' } });
      assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://app.example');
      const preflight = await fetch(`${h.url}/v1/jobs`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://app.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,idempotency-key',
        },
      });
      assert.ok(preflight.status < 300);
      assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Idempotency-Key/i);
      const other = await call(`${h.url}/healthz`, { headers: { origin: 'https://evil.example' } });
      assert.equal(other.headers.get('access-control-allow-origin'), null);
    } finally {
      await h.close();
    }
  });

  test('rate limits count per token: 429 DOCKET_RATE_LIMITED with Retry-After', async () => {
    const h = await startServer({
      tokens: { admin: ADMIN, read: [READ, 'second-reader'] },
      rateLimit: { max: 3 },
    });
    try {
      for (let i = 0; i < 3; i++) {
        assert.equal((await call(`${h.url}/v1/queues`, { headers: bearer(READ) })).status, 200);
      }
      const limited = await call(`${h.url}/v1/queues`, { headers: bearer(READ) });
      assert.equal(limited.status, 429);
      assert.equal(limited.body.error.code, 'DOCKET_RATE_LIMITED');
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
      // Another token has its own bucket; health is never limited.
      assert.equal((await call(`${h.url}/v1/queues`, { headers: bearer('second-reader') })).status, 200);
      assert.equal((await call(`${h.url}/healthz`)).status, 200);
    } finally {
      await h.close();
    }
  });
});

import assert from 'node:assert/strict';
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { call, echo, free, type Harness, startServer } from './helpers.js';

const RUNS = 10_000;

interface Fuzzed {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | null;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];

/** Path segments that are plausible, hostile, or plain noise. */
const segment = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '1',
      '2',
      '0',
      '-1',
      '999999999999999999999',
      'default',
      'free',
      'nightly',
      '..',
      '%2e%2e',
      '%00',
      '%ZZ',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }).map(encodeURIComponent) },
);

const path = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          '/v1/jobs',
          '/v1/jobs:batch',
          '/v1/jobs/{}',
          '/v1/jobs/{}/events',
          '/v1/jobs/{}/retry',
          '/v1/jobs/{}/cancel',
          '/v1/queues',
          '/v1/queues/{}',
          '/v1/queues/{}/pause',
          '/v1/queues/{}/resume',
          '/v1/schedules',
          '/v1/schedules/{}',
          '/v1/schedules/{}/trigger',
          '/v1/workers',
          '/healthz',
          '/readyz',
          '/metrics',
          '/openapi.json',
          '/docket-follow.js',
          '/',
          '/v1',
          '/v1/jobs/',
          '//v1//jobs',
        ),
        segment,
      )
      .map(([template, value]) => template.replace('{}', value)),
  },
  {
    weight: 1,
    arbitrary: fc.array(segment, { minLength: 1, maxLength: 6 }).map((parts) => `/${parts.join('/')}`),
  },
);

const queryValue = fc.oneof(
  fc.constantFrom('30s', '10ms', 'forever', '-1', '0', '1e309', 'true', 'available,failed', 'bogus', ''),
  fc.string({ maxLength: 40 }),
);
const query = fc
  .array(
    fc.tuple(
      fc.constantFrom(
        'wait',
        'logs',
        'state',
        'queue',
        'task',
        'key',
        'limit',
        'cursor',
        'next',
        'lastEventId',
        'access_token',
        'x',
      ),
      queryValue,
    ),
    { maxLength: 4 },
  )
  .map((pairs) => (pairs.length ? `?${new URLSearchParams(pairs)}` : ''));

/** Header values Node's client lets through: printable ASCII, odd but legal. */
const headerText = fc.string({ maxLength: 200 }).map((s) => s.replace(/[^\x20-\x7e]/g, '').trim());
const headers = fc.record(
  {
    'content-type': fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/JSON',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=latin1',
      '*/*',
      '',
    ),
    authorization: fc.oneof(fc.constantFrom('Bearer', 'Bearer ', 'Basic YTpi', 'bearer x y'), headerText),
    'idempotency-key': headerText,
    'last-event-id': fc.oneof(
      fc.constantFrom('~~', 'a~b~c~end', 'completed.1.0~0~99999999999999999999~end'),
      headerText,
    ),
    'if-none-match': headerText,
    accept: fc.constantFrom('text/event-stream', '*/*', 'application/xml'),
  },
  { requiredKeys: [] },
);

/** Bodies: broken JSON, JSON of the wrong shape, enqueue-like objects with wrong types, huge and deep ones. */
const envelope = fc.record(
  {
    task: fc.oneof(fc.constantFrom('free', 'echo', 'nope', ''), fc.anything()),
    input: fc.anything(),
    queue: fc.oneof(fc.string(), fc.anything()),
    delay: fc.oneof(fc.constantFrom('5m', '-1s', 'soon', Number.POSITIVE_INFINITY), fc.anything()),
    runAt: fc.oneof(fc.constantFrom('2020-13-45T99:00:00Z', 'yesterday'), fc.double()),
    priority: fc.oneof(fc.integer(), fc.double(), fc.string()),
    key: fc.anything(),
    attempts: fc.oneof(fc.integer({ min: -5, max: 5000 }), fc.string()),
    timeout: fc.anything(),
    jobs: fc.anything(),
    backlogLimit: fc.oneof(fc.integer({ min: -10, max: 10 }), fc.constant(null), fc.string()),
    paused: fc.anything(),
    cron: fc.oneof(fc.constantFrom('* * * * *', '0 2 * * *', 'bad cron', '61 * * * *'), fc.string()),
    every: fc.oneof(fc.constantFrom('1s', '0s', '100ms'), fc.anything()),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  { weight: 4, arbitrary: envelope.map((value) => JSON.stringify(value) ?? 'null') },
  { weight: 2, arbitrary: fc.json() },
  { weight: 2, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 2, arbitrary: fc.json().map((text) => text.slice(0, Math.max(0, text.length - 1))) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{"task":"free","input":{"__proto__":{"polluted":1}}}',
      '{"constructor":{"prototype":{}}}',
      '\u0000',
      '{"a":1}{"b":2}',
      '[]',
      'null',
      '""',
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1, max: 50_000 })
      .map((depth) => `{"task":"free","input":${'['.repeat(depth)}${']'.repeat(depth)}}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1, max: 3 })
      .map((mib) => `{"task":"free","input":"${'x'.repeat(mib * 1024 * 1024)}"}`),
  },
  { weight: 1, arbitrary: fc.array(envelope, { maxLength: 20 }).map((jobs) => JSON.stringify({ jobs })) },
);

const fuzzed: fc.Arbitrary<Fuzzed> = fc.record({
  // Mostly the methods the API has, so most requests reach a route's validation.
  method: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('GET', 'POST') },
    { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
  ),
  path: fc.tuple(path, query).map(([p, q]) => p + q),
  headers,
  body: fc.option(body, { nil: null }),
});

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/** Sends one request; resolves with the status (streams are cut once their status is known). */
function send(url: URL, r: Fuzzed): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...r.headers };
    if (r.body !== null) headers['content-length'] = String(Buffer.byteLength(r.body));
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: r.method, path: r.path, headers, agent },
      (res) => {
        const status = res.statusCode ?? 0;
        if ((res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
          res.destroy();
          resolve(status);
          return;
        }
        res.resume();
        res.on('end', () => resolve(status));
        res.on('error', () => resolve(status));
      },
    );
    req.on('error', (error) => {
      // The server may stop reading an oversized body and close; the status already arrived or it is a 413 we missed.
      if (/EPIPE|ECONNRESET|socket hang up/.test(error.message)) resolve(-1);
      else reject(error);
    });
    req.end(r.body ?? undefined);
  });
}

/** Raw bytes for requests no HTTP client would send. */
function sendRaw(url: URL, bytes: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
    });
    socket.on('error', () => resolve(-1));
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? -1)));
    socket.end(bytes);
  });
}

describe('fuzz: malformed requests', () => {
  let h: Harness;
  before(async () => {
    h = await startServer({ rateLimit: false, maxWait: '5ms', pollInterval: '5ms' }, [echo, free]);
    // A finished job with id 1, so event streams on it end at once.
    const job = await h.docket.enqueue('free', 'seed');
    await h.docket.cancel(job.id);
  });
  after(async () => {
    agent.destroy();
    await h.close();
  });

  test(`${RUNS} malformed requests: no 5xx, and the server is healthy after`, async (t) => {
    const url = new URL(h.url);
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(fuzzed, async (r) => {
        const status = await send(url, r);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 500)
          failures.push(`${status} ${r.method} ${r.path.slice(0, 120)} body=${(r.body ?? '').slice(0, 120)}`);
        return status < 500;
      }),
      { numRuns: RUNS - 200, endOnFailure: true },
    );
    const raw = [
      'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
      'POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'POST /v1/jobs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n',
      'GARBAGE\r\n\r\n',
      'GET /v1/jobs/1 HTTP/1.1\r\nHost: x\r\nX-Bad\u0001: y\r\n\r\n',
      `GET /${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      'GET /v1/jobs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \u00ff\u00fe\r\n\r\n',
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...raw), fc.string({ maxLength: 64 }), async (bytes, noise) => {
        const status = await sendRaw(url, noise.length % 2 ? bytes : `${noise}${bytes}`);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 500) failures.push(`${status} raw ${JSON.stringify(bytes.slice(0, 80))}`);
        return status < 500;
      }),
      { numRuns: 200, endOnFailure: true },
    );
    t.diagnostic(`statuses: ${JSON.stringify([...statuses].sort((a, b) => a[0] - b[0]))}`);
    assert.deepEqual(failures, []);
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    assert.equal(total, RUNS);
    assert.ok((statuses.get(400) ?? 0) > 100, `many 400s: ${JSON.stringify([...statuses])}`);
    assert.deepEqual((await call(`${h.url}/healthz`)).body, { status: 'ok' });
    assert.equal((await call(`${h.url}/readyz`)).status, 200);
    const ok = await call(`${h.url}/v1/jobs`, { body: { task: 'echo', input: { message: 'still fine' } } });
    assert.equal(ok.status, 202);
    assert.equal(Object.hasOwn({}, 'polluted'), false);
    assert.equal(({} as { polluted?: number }).polluted, undefined);
  });
});

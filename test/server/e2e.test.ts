import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type ApiJob,
  DocketClient,
  type DocketHttpError,
  type FollowEvent,
} from '../../src/http-client/index.js';
import { parseSse } from '../../src/http-client/sse-parser.js';
import { echo, failing, gatedTask, type Harness, startServer } from './helpers.js';

const ADMIN = 'e2e-admin';
const READ = 'e2e-read';

describe('end to end: post a job over HTTP, follow it to completion', () => {
  let h: Harness;
  const gated = gatedTask();
  before(async () => {
    h = await startServer({ tokens: { admin: ADMIN, read: READ } }, [echo, failing, gated.task]);
  });
  after(async () => {
    gated.release();
    await h.close();
  });

  test('the typed client enqueues and follows over SSE while a worker runs it', async () => {
    const client = new DocketClient({ url: h.url, token: ADMIN });
    const worker = h.docket.startWorker({ pollInterval: 20 });
    try {
      const job = await client.enqueue(echo, { message: 'over the wire' });
      assert.equal(job.state, 'available');
      const events: FollowEvent[] = [];
      const done = await client.waitFor<{ echoed: string }>(job.id, { onEvent: (e) => events.push(e) });
      assert.equal(done.state, 'completed');
      assert.deepEqual(done.result, { echoed: 'over the wire' });
      assert.ok(events.some((e) => e.type === 'log' && e.line.message === 'echo over the wire'));
      assert.ok(events.some((e) => e.type === 'progress' && e.progress === 50));
      assert.equal(events[events.length - 1]?.type, 'end');
    } finally {
      await worker.stop();
    }
  });

  test('client errors carry the stable code, details and Retry-After', async () => {
    const admin = new DocketClient({ url: h.url, token: ADMIN });
    const reader = new DocketClient({ url: h.url, token: READ });
    await assert.rejects(admin.enqueue('echo', { message: 1 }), (error: DocketHttpError) => {
      assert.equal(error.status, 400);
      assert.equal(error.code, 'DOCKET_INVALID_INPUT');
      assert.equal((error.details.issues as { path: string }[])[0]?.path, 'input.message');
      return true;
    });
    await assert.rejects(reader.enqueue('echo', { message: 'x' }), { code: 'DOCKET_FORBIDDEN', status: 403 });
    await admin.setQueue('full', { backlogLimit: 0 });
    await assert.rejects(
      admin.enqueue('echo', { message: 'x' }, { queue: 'full' }),
      (error: DocketHttpError) => {
        assert.equal(error.code, 'DOCKET_QUEUE_FULL');
        assert.ok((error.retryAfter ?? 0) >= 1);
        return true;
      },
    );
    const again = await admin.enqueue('echo', { message: 'once' }, { idempotencyKey: 'e2e-1' });
    const repeat = await admin.enqueue('echo', { message: 'once' }, { idempotencyKey: 'e2e-1' });
    assert.equal(repeat.id, again.id);
    assert.equal(repeat.duplicate, true);
    const page = await reader.listJobs({ state: ['available'], limit: 10 });
    assert.ok(page.jobs.some((j) => j.id === again.id));
    assert.ok((await reader.queues()).some((q) => q.name === 'full'));
    assert.equal(await reader.ready(), true);
    const batch = await admin.enqueueMany([
      { task: 'echo', input: { message: 'b1' } },
      { task: 'echo', input: { message: 'b2' } },
    ]);
    assert.equal(batch.length, 2);
    const cancelled = await admin.cancel(batch[0]!.id);
    assert.equal(cancelled.state, 'cancelled');
    assert.equal((await admin.retry(batch[0]!.id)).state, 'available');
    await admin.cancel(batch[1]!.id);
    await admin.deleteJob(batch[1]!.id);
    await assert.rejects(reader.getJob(batch[1]!.id), { code: 'DOCKET_NOT_FOUND' });
  });

  test('the client follow resumes on its own after the server drops the stream', async () => {
    const admin = new DocketClient({ url: h.url, token: ADMIN });
    const job = await admin.enqueue(gated.task, { steps: 2 });
    const worker = h.docket.startWorker({ queues: ['gated'], pollInterval: 20 });
    // A fetch that cuts the first event stream after its first log line, like a proxy timeout.
    let cut = false;
    const cutting: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (cut || !String(input).endsWith('/events') || !response.body) return response;
      cut = true;
      const reader = response.body.getReader();
      let text = '';
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { value, done } = await reader.read();
          if (done) return controller.close();
          controller.enqueue(value);
          text += new TextDecoder().decode(value);
          if (text.includes('event: log')) {
            await reader.cancel();
            controller.error(new Error('connection reset'));
          }
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const client = new DocketClient({ url: h.url, token: READ, fetch: cutting });
    try {
      const events: FollowEvent[] = [];
      let released = false;
      const final = await client.waitFor(job.id, {
        onEvent: (event) => {
          events.push(event);
          if (event.type === 'log' && event.line.message === 'step 2' && !released) {
            released = true;
            gated.release();
          }
        },
      });
      assert.ok(cut, 'the first stream was cut');
      assert.equal(final.state, 'completed');
      const lines = events
        .filter((e) => e.type === 'log')
        .map((e) => (e.type === 'log' ? e.line.message : ''));
      assert.deepEqual(lines, ['step 1', 'step 2']);
    } finally {
      await worker.stop();
    }
  });
});

/** A minimal EventSource for Node 20 (which has none), enough for docket-follow.js: named events, reconnect with Last-Event-ID, CLOSED on HTTP errors. */
class TestEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static opened = 0;
  readyState = TestEventSource.CONNECTING;
  private readonly listeners = new Map<string, ((event: { data: string }) => void)[]>();
  private readonly controller = new AbortController();
  private lastEventId: string | undefined;
  constructor(readonly url: string) {
    void this.run();
  }
  addEventListener(type: string, listener: (event: { data: string }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.readyState = TestEventSource.CLOSED;
    this.controller.abort();
  }
  private emit(type: string, data = ''): void {
    for (const listener of this.listeners.get(type) ?? []) listener({ data });
  }
  private async run(): Promise<void> {
    while (this.readyState !== TestEventSource.CLOSED) {
      try {
        const response = await fetch(this.url, {
          headers: this.lastEventId ? { 'last-event-id': this.lastEventId } : {},
          signal: this.controller.signal,
        });
        if (response.status !== 200 || !response.body) {
          this.readyState = TestEventSource.CLOSED;
          this.emit('error');
          return;
        }
        TestEventSource.opened++;
        this.readyState = TestEventSource.OPEN;
        this.emit('open');
        for await (const message of parseSse(response.body as unknown as AsyncIterable<Uint8Array>)) {
          if (message.id !== undefined) this.lastEventId = message.id;
          this.emit(message.event, message.data);
        }
      } catch {
        if (this.readyState === TestEventSource.CLOSED) return;
      }
      if (this.readyState === TestEventSource.CLOSED) return;
      this.readyState = TestEventSource.CONNECTING;
      this.emit('error');
    }
  }
}

describe('the browser helper, docket-follow.js (browser-free)', () => {
  let h: Harness;
  let followJob: (id: string, options: Record<string, unknown>) => { done: Promise<ApiJob>; stop(): void };
  before(async () => {
    h = await startServer({ tokens: { admin: ADMIN } }, [echo, failing]);
    // Load the very file the server sends, as a browser would.
    const source = await (await fetch(`${h.url}/docket-follow.js`)).text();
    ({ followJob } = await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`));
  });
  after(() => h.close());

  for (const transport of ['sse', 'poll'] as const) {
    test(`follows a job to its result over ${transport}`, async () => {
      const g = globalThis as { EventSource?: unknown };
      g.EventSource = transport === 'sse' ? TestEventSource : undefined;
      const admin = new DocketClient({ url: h.url, token: ADMIN });
      const job = await admin.enqueue('echo', { message: transport });
      const states: string[] = [];
      const progress: unknown[] = [];
      const used: string[] = [];
      const opened = TestEventSource.opened;
      const follow = followJob(job.id, {
        baseUrl: h.url,
        token: job.followToken,
        pollWait: '30s',
        onState: (e: { state: string }) => states.push(e.state),
        onProgress: (p: unknown) => progress.push(p),
        onTransport: (t: string) => used.push(t),
      });
      const worker = h.docket.startWorker({ pollInterval: 20 });
      try {
        const final = await follow.done;
        assert.equal(final.state, 'completed');
        assert.deepEqual(final.result, { echoed: transport });
        assert.deepEqual(used, [transport]);
        assert.equal(states[states.length - 1], 'completed');
        assert.deepEqual(progress[progress.length - 1], 50);
        if (transport === 'sse') assert.ok(TestEventSource.opened > opened);
      } finally {
        follow.stop();
        await worker.stop();
        delete g.EventSource;
      }
    });
  }

  test('falls back to long polling when the stream is refused, and rejects a bad token', async () => {
    const g = globalThis as { EventSource?: unknown };
    g.EventSource = TestEventSource;
    try {
      const admin = new DocketClient({ url: h.url, token: ADMIN });
      const job = await admin.enqueue('failing', {});
      const used: string[] = [];
      // A wrong token: the stream is refused (401), the fallback poll is refused too, and done rejects.
      const refused = followJob(job.id, {
        baseUrl: h.url,
        token: 'nope',
        onTransport: (t: string) => used.push(t),
      });
      await assert.rejects(refused.done, (error: { status?: number }) => error.status === 401);
      assert.deepEqual(used, ['sse', 'poll']);
      const worker = h.docket.startWorker({ pollInterval: 20 });
      try {
        const follow = followJob(job.id, { baseUrl: h.url, token: job.followToken });
        const final = await follow.done;
        assert.equal(final.state, 'failed');
        assert.equal(final.errors[0]?.message, 'it broke');
      } finally {
        await worker.stop();
      }
    } finally {
      delete g.EventSource;
    }
  });
});

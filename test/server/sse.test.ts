import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDocket } from '../../src/client.js';
import { parseSse, type SseMessage } from '../../src/http-client/sse-parser.js';
import { call, echo, gatedTask, type Harness, startServer } from './helpers.js';

/** An open event stream: read messages one at a time, or drop the connection. */
async function openStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  const iterator = response.body ? parseSse(response.body as unknown as AsyncIterable<Uint8Array>) : null;
  return {
    response,
    /** The next event, or null when the server ended the stream. */
    async next(): Promise<SseMessage | null> {
      if (!iterator) return null;
      const { value, done } = await iterator.next();
      return done ? null : value;
    },
    /** Reads until `stop` matches (inclusive) or the stream ends. */
    async readUntil(stop: (m: SseMessage) => boolean): Promise<SseMessage[]> {
      const seen: SseMessage[] = [];
      for (;;) {
        const message = await this.next();
        if (!message) return seen;
        seen.push(message);
        if (stop(message)) return seen;
      }
    },
    drop: () => controller.abort(),
  };
}

describe('GET /v1/jobs/{id}/events', () => {
  let h: Harness;
  const gated = gatedTask();
  before(async () => {
    h = await startServer({ heartbeatInterval: '1h' }, [echo, gated.task]);
  });
  after(async () => {
    gated.release();
    await h.close();
  });

  test('delivers state, progress, logs, and the end with the result, then closes', async () => {
    const job = await h.docket.enqueue(echo, { message: 'streamed' });
    const stream = await openStream(`${h.url}/v1/jobs/${job.id}/events`);
    assert.equal(stream.response.status, 200);
    assert.match(stream.response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const worker = h.docket.startWorker({ queues: ['default'], pollInterval: 20 });
    try {
      const events = await stream.readUntil((m) => m.event === 'end');
      const types = events.map((m) => m.event);
      assert.equal(types[0], 'state');
      assert.equal(JSON.parse(events[0]!.data).state, 'available');
      assert.ok(types.includes('progress'));
      const log = events.find((m) => m.event === 'log');
      assert.equal(JSON.parse(log!.data).line.message, 'echo streamed');
      const end = events[events.length - 1]!;
      assert.equal(end.event, 'end');
      const final = JSON.parse(end.data).job;
      assert.equal(final.state, 'completed');
      assert.deepEqual(final.result, { echoed: 'streamed' });
      assert.ok(
        events.every((m) => m.id),
        'every event has an id to resume from',
      );
      assert.equal(await stream.next(), null, 'the server closes the stream after end');
      // Reconnecting after the end: 204 tells EventSource to stop.
      const again = await fetch(`${h.url}/v1/jobs/${job.id}/events`, {
        headers: { 'last-event-id': end.id! },
      });
      assert.equal(again.status, 204);
    } finally {
      await worker.stop();
    }
  });

  test('resumes after a dropped connection with Last-Event-ID: nothing lost, nothing repeated', async () => {
    const job = await h.docket.enqueue(gated.task, { steps: 3 });
    const first = await openStream(`${h.url}/v1/jobs/${job.id}/events`);
    const worker = h.docket.startWorker({ queues: ['gated'], pollInterval: 20 });
    try {
      // Read up to the second log line, then drop the connection.
      let logs = 0;
      const before = await first.readUntil((m) => m.event === 'log' && ++logs === 2);
      first.drop();
      const lastId = before[before.length - 1]!.id!;
      gated.release();
      const second = await openStream(`${h.url}/v1/jobs/${job.id}/events`, { 'last-event-id': lastId });
      const rest = await second.readUntil((m) => m.event === 'end');
      const lines = [...before, ...rest]
        .filter((m) => m.event === 'log')
        .map((m) => JSON.parse(m.data).line.message);
      assert.deepEqual(lines, ['step 1', 'step 2', 'step 3']);
      assert.equal(rest[rest.length - 1]!.event, 'end');
      assert.equal(JSON.parse(rest[rest.length - 1]!.data).job.state, 'completed');
      const states = rest.filter((m) => m.event === 'state').map((m) => JSON.parse(m.data).state);
      assert.deepEqual(states, ['completed']);
      const progress = [...before, ...rest]
        .filter((m) => m.event === 'progress')
        .map((m) => JSON.parse(m.data).progress.step as number);
      assert.equal(progress[progress.length - 1], 3);
      assert.equal(new Set(progress).size, progress.length, 'no progress repeated');
    } finally {
      await worker.stop();
    }
  });

  test('follows jobs run by a worker in another process (store polling)', async () => {
    const job = await h.docket.enqueue(echo, { message: 'far away' });
    const stream = await openStream(`${h.url}/v1/jobs/${job.id}/events`);
    // A second Docket on the same file, like another process: its events never reach the server's Docket.
    const other = await createDocket({
      store: `sqlite:${(h.docket.store as unknown as { filename: string }).filename}`,
      tasks: [echo],
    });
    const worker = other.startWorker({ queues: ['default'], pollInterval: 20 });
    try {
      const events = await stream.readUntil((m) => m.event === 'end');
      assert.equal(JSON.parse(events[events.length - 1]!.data).job.state, 'completed');
      assert.ok(events.some((m) => m.event === 'log'));
    } finally {
      await worker.stop();
      await other.close();
    }
  });

  test('unknown job: 404 JSON, not a stream', async () => {
    const res = await call(`${h.url}/v1/jobs/777777/events`);
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'DOCKET_NOT_FOUND');
  });

  test('a deleted job ends the stream with gone', async () => {
    const job = await h.docket.enqueue(echo, { message: 'x' }, { delay: '1h' });
    const stream = await openStream(`${h.url}/v1/jobs/${job.id}/events`);
    const first = await stream.next();
    assert.equal(first?.event, 'state');
    await h.docket.deleteJob(job.id);
    const rest = await stream.readUntil((m) => m.event === 'gone');
    assert.equal(rest[rest.length - 1]?.event, 'gone');
  });
});

describe('graceful shutdown', () => {
  test('closes SSE streams, answers long polls, finishes in-flight requests', async () => {
    const h = await startServer({ heartbeatInterval: '1h' });
    try {
      const job = await h.docket.enqueue('free', 1, { delay: '1h' });
      const stream = await openStream(`${h.url}/v1/jobs/${job.id}/events`);
      assert.equal((await stream.next())?.event, 'state');
      const poll = call(`${h.url}/v1/jobs/${job.id}?wait=60s`);
      // Wait for the long poll to be inside the server before closing.
      const { until } = await import('../helpers/wait.js');
      await until(
        () =>
          new Promise<boolean>((resolve) =>
            h.server.app.server.getConnections((_error, count) => resolve(count >= 2)),
          ),
        'both connections open',
      );
      const closed = h.server.close();
      assert.equal(await stream.next(), null, 'the stream ends');
      const answered = await poll;
      assert.equal(answered.status, 200);
      assert.equal(answered.body.state, 'scheduled');
      await closed;
    } finally {
      await h.docket.close();
    }
  });
});

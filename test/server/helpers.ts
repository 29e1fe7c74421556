import pino from 'pino';
import { z } from 'zod';
import { createDocket, type Docket, type DocketOptions } from '../../src/client.js';
import { createServer, type DocketServer, type ServerOptions } from '../../src/server/index.js';
import { defineTask } from '../../src/task.js';
import { tempSqliteUrl } from '../helpers/tmp.js';

/** Tasks the server tests enqueue. */
export const echo = defineTask({
  name: 'echo',
  input: z.object({ message: z.string(), count: z.number().int().optional() }),
  queue: 'default',
  async run(input, ctx) {
    ctx.log.info(`echo ${input.message}`);
    await ctx.progress(50);
    return { echoed: input.message };
  },
});

/** A task that waits until its `release` promise is resolved by the test. */
export function gatedTask(name = 'gated') {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const started: string[] = [];
  const task = defineTask({
    name,
    queue: 'gated',
    retry: { attempts: 1 },
    async run(input: { steps?: number } | null, ctx) {
      started.push(ctx.jobId);
      for (let i = 1; i <= (input?.steps ?? 0); i++) {
        ctx.log.info(`step ${i}`);
        await ctx.progress({ step: i });
      }
      await new Promise<void>((resolve, reject) => {
        void gate.then(resolve);
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
      });
      return { done: true };
    },
  });
  return { task, release: () => release(), started };
}

export const failing = defineTask({
  name: 'failing',
  retry: { attempts: 1 },
  async run() {
    throw new Error('it broke');
  },
});

export const free = defineTask({
  name: 'free',
  queue: 'free',
  async run(input: unknown) {
    return input;
  },
});

/** A Docket with a temp SQLite store and an HTTP server on 127.0.0.1:0. */
export interface Harness {
  docket: Docket;
  server: DocketServer;
  url: string;
  close(): Promise<void>;
}

/** Starts Docket and its server for one test. */
export async function startServer(
  options: ServerOptions = {},
  tasks: DocketOptions['tasks'] = [echo, failing, free],
): Promise<Harness> {
  const db = tempSqliteUrl();
  const docket = await createDocket({ store: db.url, tasks });
  const server = await createServer(docket, {
    port: 0,
    host: '127.0.0.1',
    logger: pino({ level: process.env.DOCKET_TEST_LOG ?? 'silent' }),
    pollInterval: '100ms',
    ...options,
  });
  const { url } = await server.listen();
  return {
    docket,
    server,
    url,
    async close() {
      await server.close();
      await docket.close();
      db.cleanup();
    },
  };
}

/** fetch with JSON in and out; returns status, headers and parsed body. */
export async function call(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined = init.raw;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(url, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed };
}

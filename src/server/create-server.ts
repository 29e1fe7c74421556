import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fastifyCors from '@fastify/cors';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Docket } from '../client.js';
import { toMs } from '../duration.js';
import { defaultLogger } from '../logger.js';
import { registerAssets } from './assets.js';
import { registerAuth, TokenAuth } from './auth.js';
import type { ServerContext } from './context.js';
import { registerErrorHandlers } from './error-handler.js';
import { FollowTokens } from './follow-token.js';
import { HttpError } from './http-errors.js';
import { registerJsonBody } from './json-body.js';
import { ServerMetrics } from './metrics.js';
import { registerOpenApi } from './openapi.js';
import type { ServerOptions } from './options.js';
import { registerRateLimit } from './rate-limit.js';
import { capacityRoutes } from './routes/capacity.js';
import { healthRoutes } from './routes/health.js';
import { jobEventsRoutes } from './routes/job-events.js';
import { jobsActionRoutes } from './routes/jobs-actions.js';
import { jobsBulkRoutes } from './routes/jobs-bulk.js';
import { jobsEnqueueRoutes } from './routes/jobs-enqueue.js';
import { jobsReadRoutes } from './routes/jobs-read.js';
import { metricsRoutes } from './routes/metrics.js';
import { queueRoutes } from './routes/queues.js';
import { scheduleRoutes } from './routes/schedules.js';
import { sessionRoutes } from './routes/session.js';
import { workerRoutes } from './routes/workers.js';
import { registerSchemas } from './schemas.js';

/** Where a started server listens. */
export interface ListeningAddress {
  host: string;
  port: number;
  /** e.g. `http://127.0.0.1:3000` */
  url: string;
}

/** The HTTP server: start it with `listen()`, stop it gracefully with `close()`. */
export interface DocketServer {
  /** The fastify instance, for adding routes or plugins (before `listen`). */
  readonly app: FastifyInstance;
  /** Where it listens, once `listen` resolved. */
  readonly address: ListeningAddress | null;
  /** Binds and starts serving. Without tokens it binds 127.0.0.1 whatever `host` says. */
  listen(): Promise<ListeningAddress>;
  /**
   * Graceful shutdown: stops accepting connections, answers waiting long
   * polls, ends every SSE stream (clients reconnect elsewhere with
   * Last-Event-ID), and waits for in-flight requests. Does not close Docket.
   */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function packageVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    return String((JSON.parse(text) as { version?: unknown }).version ?? '0.0.0');
  } catch {
    return '0.0.0';
  }
}

function tokenList(value: string | string[] | undefined): string[] {
  return Array.isArray(value) ? value : value ? [value] : [];
}

/**
 * Creates Docket's HTTP API on top of a Docket instance: enqueue, status,
 * live updates over SSE, queues and workers, health and metrics, with the
 * OpenAPI document at /openapi.json. See docs/http-api.md.
 */
export async function createServer(docket: Docket, options: ServerOptions = {}): Promise<DocketServer> {
  const logger = options.logger ?? defaultLogger();
  const auth = new TokenAuth(options.tokens);
  const secret =
    options.followSecret ??
    (auth.enabled
      ? createHash('sha256')
          .update([...tokenList(options.tokens?.admin), '\n', ...tokenList(options.tokens?.read)].join('\0'))
          .digest('hex')
      : null);
  const closing = new AbortController();
  const metrics = new ServerMetrics(docket);
  const ctx: ServerContext = {
    docket,
    followTokens:
      secret === null
        ? null
        : new FollowTokens(secret, toMs(options.followTokenTtl ?? '24h', 'followTokenTtl')),
    metrics,
    exposeStacks: options.exposeStacks ?? true,
    pollMs: toMs(options.pollInterval ?? '500ms', 'pollInterval'),
    heartbeatMs: toMs(options.heartbeatInterval ?? '15s', 'heartbeatInterval'),
    maxWaitMs: toMs(options.maxWait ?? '60s', 'maxWait'),
    maxBatch: options.maxBatch ?? 1000,
    batchBodyLimit: options.batchBodyLimit ?? 16 * 1024 * 1024,
    streams: new Set(),
    closing: closing.signal,
  };

  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: options.bodyLimit ?? docket.maxPayloadBytes + 64 * 1024,
    trustProxy: options.trustProxy ?? false,
    // Our own hook answers 503 in the standard error shape while closing.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    ajv: {
      // Unknown fields are refused (a typo such as "dealy" must not pass silently).
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
    },
  }) as unknown as FastifyInstance;

  registerErrorHandlers(app);
  registerJsonBody(app, options.maxJsonDepth ?? 64);
  registerSchemas(app);
  app.addHook('onRequest', async (_request, reply) => {
    if (closing.signal.aborted) {
      reply.header('Connection', 'close');
      throw new HttpError(503, 'DOCKET_SHUTDOWN', 'the server is shutting down; retry shortly', {
        retryAfter: 1,
      });
    }
  });
  registerAuth(app, auth, ctx.followTokens);
  if (options.cors) {
    await app.register(fastifyCors, {
      origin: options.cors === '*' ? true : options.cors,
      methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Last-Event-ID', 'If-None-Match'],
      exposedHeaders: [
        'Location',
        'Retry-After',
        'ETag',
        'X-RateLimit-Limit',
        'X-RateLimit-Remaining',
        'X-RateLimit-Reset',
      ],
      maxAge: 600,
    });
  }
  if (options.rateLimit !== false) await registerRateLimit(app, options.rateLimit ?? {});
  await registerOpenApi(app, packageVersion(), auth.enabled);

  healthRoutes(app, ctx);
  sessionRoutes(app, ctx);
  metricsRoutes(app, ctx);
  jobsEnqueueRoutes(app, ctx);
  jobsReadRoutes(app, ctx);
  jobsActionRoutes(app, ctx);
  jobsBulkRoutes(app, ctx);
  jobEventsRoutes(app, ctx);
  queueRoutes(app, ctx);
  workerRoutes(app, ctx);
  capacityRoutes(app, ctx);
  scheduleRoutes(app, ctx);
  await registerAssets(app, { dashboardDir: options.dashboardDir, examples: options.examples });

  app.addHook('preClose', async () => {
    closing.abort();
    for (const stream of ctx.streams) stream.close();
  });
  app.addHook('onClose', async () => metrics.close());

  let address: ListeningAddress | null = null;
  let closed: Promise<void> | null = null;
  return {
    app,
    get address() {
      return address;
    },
    async listen() {
      let host = options.host ?? '0.0.0.0';
      if (!auth.enabled && !LOOPBACK.has(host)) {
        if (options.host !== undefined) {
          logger.warn({ host }, `no tokens configured: binding 127.0.0.1 instead of ${host}`);
        }
        host = '127.0.0.1';
      }
      const envPort = process.env.PORT === undefined ? Number.NaN : Number(process.env.PORT);
      const port = options.port ?? (Number.isInteger(envPort) ? envPort : 3000);
      await app.listen({ host, port });
      const bound = app.server.address();
      const actualPort = typeof bound === 'object' && bound !== null ? bound.port : port;
      const urlHost = host.includes(':') ? `[${host}]` : host;
      address = { host, port: actualPort, url: `http://${urlHost}:${actualPort}` };
      if (!auth.enabled) {
        logger.warn(
          { url: address.url },
          'no API tokens configured: listening on loopback only, every route open to local callers; ' +
            'set admin and read tokens to serve the network',
        );
      }
      return address;
    },
    close() {
      closed ??= app.close();
      return closed;
    },
  };
}

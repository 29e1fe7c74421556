import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { errors } from '../schemas.js';

const duration = { type: 'string', pattern: '^\\d+(\\.\\d+)?(ms|s|m|h|d|w)$' } as const;
const nullableNumber = { type: ['number', 'null'] } as const;

const capacitySchema = {
  type: 'object',
  properties: {
    queue: { type: 'string' },
    windowSeconds: { type: 'number' },
    model: { type: 'string', enum: ['mmc', 'littles-law'] },
    arrivals: { type: 'integer' },
    finished: { type: 'integer' },
    arrivalRate: { type: 'number' },
    throughput: { type: 'number' },
    meanRunMs: nullableNumber,
    runMs: {
      type: 'object',
      properties: { p50: nullableNumber, p95: nullableNumber, p99: nullableNumber },
    },
    waitMs: {
      type: 'object',
      properties: { mean: nullableNumber, p50: nullableNumber, p95: nullableNumber, p99: nullableNumber },
    },
    offeredLoad: nullableNumber,
    concurrency: { type: 'integer' },
    busySlots: { type: 'integer' },
    utilisation: nullableNumber,
    predicted: {
      type: ['object', 'null'],
      properties: {
        probabilityOfWaiting: { type: 'number' },
        meanWaitMs: { type: 'number' },
        p95WaitMs: { type: 'number' },
      },
    },
    targetWaitMs: { type: 'number' },
    recommendedConcurrency: { type: ['integer', 'null'] },
    backlog: { type: 'integer' },
    drainSeconds: nullableNumber,
    notes: { type: 'array', items: { type: 'string' } },
  },
} as const;

const statsSchema = {
  type: 'object',
  properties: {
    queue: { type: 'string' },
    bucket: { type: 'integer', description: 'Start of the minute, ms since the epoch.' },
    arrivals: { type: 'integer' },
    starts: { type: 'integer' },
    completions: { type: 'integer' },
    failures: { type: 'integer' },
    waitMsSum: { type: 'number' },
    runMsSum: { type: 'number' },
    waitHist: { type: 'object', additionalProperties: { type: 'integer' } },
    runHist: { type: 'object', additionalProperties: { type: 'integer' } },
  },
} as const;

/** `GET /v1/capacity` (the capacity model per queue) and `GET /v1/stats` (per-minute queue statistics). */
export function capacityRoutes(app: FastifyInstance, ctx: ServerContext): void {
  type CapacityQuery = { Querystring: { queue?: string; targetWait?: string; window?: string } };
  app.get<CapacityQuery>(
    '/v1/capacity',
    {
      config: { access: 'read' },
      schema: {
        summary: 'How many workers each queue needs: measured rates and times, and the M/M/c model',
        tags: ['capacity'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { queue: { type: 'string' }, targetWait: duration, window: duration },
        },
        response: {
          200: {
            type: 'object',
            properties: { queues: { type: 'array', items: capacitySchema } },
            required: ['queues'],
          },
          ...errors(400, 401, 503),
        },
      },
    },
    async (request) => ({
      queues: await ctx.docket.capacity({
        ...(request.query.queue ? { queue: request.query.queue } : {}),
        ...(request.query.targetWait ? { targetWait: request.query.targetWait } : {}),
        ...(request.query.window ? { window: request.query.window } : {}),
      }),
    }),
  );

  type StatsQuery = { Querystring: { queue?: string; since?: number } };
  app.get<StatsQuery>(
    '/v1/stats',
    {
      config: { access: 'read' },
      schema: {
        summary: 'Per-minute queue statistics (arrivals, starts, finishes, wait and run times), oldest first',
        tags: ['capacity'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            queue: { type: 'string' },
            since: { type: 'integer', description: 'ms since the epoch; default one hour ago' },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { buckets: { type: 'array', items: statsSchema } },
            required: ['buckets'],
          },
          ...errors(400, 401, 503),
        },
      },
    },
    async (request) => ({
      buckets: await ctx.docket.queueStats({
        ...(request.query.queue ? { queue: request.query.queue } : {}),
        ...(request.query.since !== undefined ? { since: request.query.since } : {}),
      }),
    }),
  );
}

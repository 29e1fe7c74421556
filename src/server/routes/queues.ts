import type { FastifyInstance } from 'fastify';
import { DocketError } from '../../errors.js';
import type { ServerContext } from '../context.js';
import { errors, queueNameParams } from '../schemas.js';

/** Queues: list with counts, one queue, pause/resume, settings (backlog limit). */
export function queueRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { docket } = ctx;
  type ByName = { Params: { name: string } };

  app.get(
    '/v1/queues',
    {
      config: { access: 'read' },
      schema: {
        summary: 'List queues with their settings and job counts',
        tags: ['queues'],
        response: {
          200: {
            type: 'object',
            properties: { queues: { type: 'array', items: { $ref: 'Queue#' } } },
            required: ['queues'],
          },
          ...errors(401, 503),
        },
      },
    },
    async () => ({ queues: await docket.queues() }),
  );

  app.get<ByName>(
    '/v1/queues/:name',
    {
      config: { access: 'read' },
      schema: {
        summary: 'One queue with its settings and job counts',
        tags: ['queues'],
        params: queueNameParams,
        response: { 200: { $ref: 'Queue#' }, ...errors(401, 404, 503) },
      },
    },
    async (request) => {
      const queue = (await docket.queues()).find((q) => q.name === request.params.name);
      if (!queue) {
        throw new DocketError('DOCKET_NOT_FOUND', `no queue named "${request.params.name}"`, {
          details: { queue: request.params.name },
        });
      }
      return queue;
    },
  );

  for (const action of ['pause', 'resume'] as const) {
    app.post<ByName>(
      `/v1/queues/:name/${action}`,
      {
        config: { access: 'admin' },
        schema: {
          summary:
            action === 'pause'
              ? 'Stop workers starting jobs of a queue'
              : 'Let workers start jobs of a queue',
          description: 'Applies to every worker on every host. Running jobs are not affected.',
          tags: ['queues'],
          params: queueNameParams,
          response: { 200: { $ref: 'QueueSettings#' }, ...errors(401, 403, 503) },
        },
      },
      async (request) =>
        action === 'pause' ? docket.pauseQueue(request.params.name) : docket.resumeQueue(request.params.name),
    );
  }

  app.patch<ByName & { Body: { backlogLimit?: number | null; paused?: boolean } }>(
    '/v1/queues/:name',
    {
      config: { access: 'admin' },
      schema: {
        summary: "Change a queue's settings",
        description:
          'backlogLimit: most jobs that may wait (scheduled + available); over it, enqueue answers 429 ' +
          'with Retry-After from the drain rate. null removes the limit.',
        tags: ['queues'],
        params: queueNameParams,
        body: {
          type: 'object',
          properties: {
            backlogLimit: { type: ['integer', 'null'], minimum: 0 },
            paused: { type: 'boolean' },
          },
          additionalProperties: false,
          minProperties: 1,
        },
        response: { 200: { $ref: 'QueueSettings#' }, ...errors(400, 401, 403, 415, 503) },
      },
    },
    async (request) => {
      const { name } = request.params;
      const { backlogLimit, paused } = request.body;
      let settings = backlogLimit === undefined ? null : await docket.setQueue(name, { backlogLimit });
      if (paused !== undefined)
        settings = await (paused ? docket.pauseQueue(name) : docket.resumeQueue(name));
      return settings;
    },
  );
}

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { errors } from '../schemas.js';

/** `GET /v1/workers`: the live workers on every host. */
export function workerRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(
    '/v1/workers',
    {
      config: { access: 'read' },
      schema: {
        summary: 'List live workers (recent heartbeat), on every host',
        tags: ['workers'],
        response: {
          200: {
            type: 'object',
            properties: { workers: { type: 'array', items: { $ref: 'Worker#' } } },
            required: ['workers'],
          },
          ...errors(401, 503),
        },
      },
    },
    async () => ({ workers: await ctx.docket.listWorkers() }),
  );
}

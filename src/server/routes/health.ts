import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { HttpError, STORE_RETRY_AFTER_SECONDS } from '../http-errors.js';
import { errors } from '../schemas.js';

const status = {
  type: 'object',
  properties: { status: { type: 'string' } },
  required: ['status'],
} as const;

/** `/healthz` (the process answers) and `/readyz` (the store answers too). Public, not rate limited. */
export function healthRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(
    '/healthz',
    {
      config: { access: 'public', rateLimit: false },
      schema: { summary: 'Liveness: the server answers', tags: ['health'], response: { 200: status } },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      config: { access: 'public', rateLimit: false },
      schema: {
        summary: 'Readiness: the store answers and the server is not shutting down',
        tags: ['health'],
        response: { 200: status, ...errors(503) },
      },
    },
    async () => {
      if (ctx.closing.aborted) {
        throw new HttpError(503, 'DOCKET_SHUTDOWN', 'the server is shutting down', {
          retryAfter: STORE_RETRY_AFTER_SECONDS,
        });
      }
      try {
        // A lookup by id touches the store without scanning anything.
        await ctx.docket.store.getJob({ id: '0' });
      } catch {
        throw new HttpError(503, 'DOCKET_STORE_UNAVAILABLE', 'the job store is unreachable', {
          retryAfter: STORE_RETRY_AFTER_SECONDS,
        });
      }
      return { status: 'ready' };
    },
  );
}

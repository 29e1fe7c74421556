import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { errors } from '../schemas.js';

/** `GET /metrics`: Prometheus text exposition (read token). */
export function metricsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(
    '/metrics',
    {
      config: { access: 'read', rateLimit: false },
      schema: {
        summary: 'Prometheus metrics',
        description:
          'docket_jobs{queue,state}, docket_oldest_waiting_job_age_seconds{queue} (from the store: every ' +
          'process); docket_jobs_enqueued_total, docket_jobs_completed_total, docket_jobs_failed_total, ' +
          'docket_job_wait_seconds, docket_job_run_seconds (what this process saw); process metrics.',
        tags: ['health'],
        response: { 200: { type: 'string', description: 'text/plain; version=0.0.4' }, ...errors(401, 503) },
      },
    },
    async (_request, reply) => {
      const text = await ctx.metrics.render();
      return reply.type(ctx.metrics.contentType).send(text);
    },
  );
}

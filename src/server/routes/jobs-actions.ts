import type { FastifyInstance } from 'fastify';
import { showsStacks, toApiJob } from '../api-job.js';
import type { ServerContext } from '../context.js';
import { errors, jobIdParams } from '../schemas.js';

/** `POST /v1/jobs/{id}/retry`, `POST /v1/jobs/{id}/cancel`, `DELETE /v1/jobs/{id}`. */
export function jobsActionRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { docket } = ctx;
  type ById = { Params: { id: string } };

  app.post<ById>(
    '/v1/jobs/:id/retry',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Run a failed or cancelled job again',
        description: 'Allows one more attempt. 409 for a job in any other state.',
        tags: ['jobs'],
        params: jobIdParams,
        response: { 200: { $ref: 'Job#' }, ...errors(401, 403, 404, 409, 503) },
      },
    },
    async (request) =>
      toApiJob(await docket.retry(request.params.id), showsStacks(ctx.exposeStacks, request)),
  );

  app.post<ById>(
    '/v1/jobs/:id/cancel',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Cancel a job',
        description:
          'A waiting job is cancelled at once (200). A running one has its AbortSignal fired and ends ' +
          'cancelled when its handler stops (202, cancelRequested true). 409 for a finished job.',
        tags: ['jobs'],
        params: jobIdParams,
        response: {
          200: { $ref: 'Job#', description: 'Cancelled.' },
          202: { $ref: 'Job#', description: 'Running; cancel requested.' },
          ...errors(401, 403, 404, 409, 503),
        },
      },
    },
    async (request, reply) => {
      const job = await docket.cancel(request.params.id);
      return reply
        .status(job.state === 'cancelled' ? 200 : 202)
        .send(toApiJob(job, showsStacks(ctx.exposeStacks, request)));
    },
  );

  app.delete<ById>(
    '/v1/jobs/:id',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Delete a job that is not running, with its logs',
        tags: ['jobs'],
        params: jobIdParams,
        response: { 204: { type: 'null', description: 'Deleted.' }, ...errors(401, 403, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      await docket.deleteJob(request.params.id);
      return reply.status(204).send();
    },
  );
}

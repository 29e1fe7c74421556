import type { FastifyInstance } from 'fastify';
import type { EnqueueOptions } from '../../client.js';
import { DocketError } from '../../errors.js';
import type { ApiEnqueuedJob, ApiEnqueueRequest, ApiIssue } from '../../http-client/wire.js';
import type { EnqueuedJob } from '../../job.js';
import { toApiJob } from '../api-job.js';
import type { ServerContext } from '../context.js';
import { HttpError } from '../http-errors.js';
import { errors } from '../schemas.js';

/** Body fields as enqueue options. */
function toOptions(body: ApiEnqueueRequest, key: string | undefined): EnqueueOptions {
  const options: EnqueueOptions = {};
  if (body.queue !== undefined) options.queue = body.queue;
  if (body.delay !== undefined) options.delay = body.delay;
  if (body.runAt !== undefined)
    options.runAt = typeof body.runAt === 'number' ? body.runAt : Date.parse(body.runAt);
  if (body.priority !== undefined) options.priority = body.priority;
  if (key !== undefined) options.key = key;
  if (body.attempts !== undefined) options.attempts = body.attempts;
  if (body.timeout !== undefined) options.timeout = body.timeout;
  return options;
}

/**
 * Re-roots field issues at the request body: the library names input
 * fields relative to the input (`email`) and options by name (`delay`);
 * over HTTP they are `input.email` and `delay`, or `jobs.2.input.email`
 * in a batch.
 */
function rebase(error: unknown, prefix: string): unknown {
  if (!(error instanceof DocketError) || error.details === undefined) return error;
  const details = error.details;
  let issues: ApiIssue[] | undefined;
  if (Array.isArray(details.issues)) {
    issues = (details.issues as { path: string; message: string }[]).map((issue) => ({
      path: [prefix, 'input', issue.path].filter(Boolean).join('.'),
      message: issue.message,
      in: 'body',
    }));
  } else if (typeof details.field === 'string') {
    issues = [
      { path: [prefix, details.field].filter(Boolean).join('.'), message: error.message, in: 'body' },
    ];
  }
  if (!issues) return error;
  return new DocketError(error.code, error.message, { cause: error, details: { ...details, issues } });
}

/** The response for one enqueued job, with a follow token when auth is on. */
function enqueued(ctx: ServerContext, job: EnqueuedJob): ApiEnqueuedJob {
  const body: ApiEnqueuedJob = { ...toApiJob(job, ctx.exposeStacks), duplicate: job.duplicate };
  if (ctx.followTokens) body.followToken = ctx.followTokens.issue(job.id);
  return body;
}

/** `POST /v1/jobs` and `POST /v1/jobs:batch`. */
export function jobsEnqueueRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { docket } = ctx;

  app.post<{ Body: ApiEnqueueRequest; Headers: { 'idempotency-key'?: string } }>(
    '/v1/jobs',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Enqueue a job',
        description:
          'Validates the input against the task and stores the job: 202 with Location. ' +
          'With an Idempotency-Key header, a repeat with the same key returns the job already made (200), ' +
          'for as long as that job is kept. Over the queue backlog limit: 429 with Retry-After.',
        tags: ['jobs'],
        headers: {
          type: 'object',
          properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 512 } },
        },
        body: { $ref: 'EnqueueRequest#' },
        response: {
          200: {
            $ref: 'EnqueuedJob#',
            description: 'The Idempotency-Key or key matched a job already there.',
          },
          202: { $ref: 'EnqueuedJob#', description: 'Accepted; the job is stored.' },
          ...errors(400, 401, 403, 404, 413, 415, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const header = request.headers['idempotency-key'];
      if (header !== undefined && body.key !== undefined && body.key !== header) {
        throw new HttpError(
          400,
          'DOCKET_INVALID_INPUT',
          'the Idempotency-Key header and the body key differ',
          {
            details: {
              issues: [{ path: 'key', message: 'differs from the Idempotency-Key header', in: 'body' }],
            },
          },
        );
      }
      if (header !== undefined) {
        // A retried request must not run the work twice, even after the first job finished.
        const { jobs } = await docket.listJobs({ key: header, limit: 1 });
        const existing = jobs[0];
        if (existing) {
          reply.header('Location', `/v1/jobs/${existing.id}`);
          return reply.status(200).send(enqueued(ctx, { ...existing, duplicate: true }));
        }
      }
      let job: EnqueuedJob;
      try {
        job = await docket.enqueue(body.task, body.input, toOptions(body, header ?? body.key));
      } catch (error) {
        throw rebase(error, '');
      }
      reply.header('Location', `/v1/jobs/${job.id}`);
      return reply.status(job.duplicate ? 200 : 202).send(enqueued(ctx, job));
    },
  );

  app.post<{ Body: { jobs: ApiEnqueueRequest[] } }>(
    '/v1/jobs::batch',
    {
      config: { access: 'admin' },
      bodyLimit: ctx.batchBodyLimit,
      schema: {
        summary: 'Enqueue many jobs, all or nothing',
        description:
          'Stores every job in one transaction, or none: the first refused item is reported with ' +
          'details.index and its field named as jobs.<index>.<field>.',
        tags: ['jobs'],
        body: {
          type: 'object',
          properties: {
            jobs: { type: 'array', minItems: 1, maxItems: ctx.maxBatch, items: { $ref: 'EnqueueRequest#' } },
          },
          required: ['jobs'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            description: 'Every item matched a job already there.',
            properties: { jobs: { type: 'array', items: { $ref: 'EnqueuedJob#' } } },
            required: ['jobs'],
          },
          202: {
            type: 'object',
            description: 'Accepted; every job is stored.',
            properties: { jobs: { type: 'array', items: { $ref: 'EnqueuedJob#' } } },
            required: ['jobs'],
          },
          ...errors(400, 401, 403, 404, 413, 415, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const items = request.body.jobs.map((body) => ({
        task: body.task,
        input: body.input,
        options: toOptions(body, body.key),
      }));
      let jobs: EnqueuedJob[];
      try {
        jobs = await docket.enqueueMany(items);
      } catch (error) {
        const index = error instanceof DocketError ? error.details?.index : undefined;
        throw rebase(error, typeof index === 'number' ? `jobs.${index}` : '');
      }
      const fresh = jobs.some((job) => !job.duplicate);
      return reply.status(fresh ? 202 : 200).send({ jobs: jobs.map((job) => enqueued(ctx, job)) });
    },
  );
}

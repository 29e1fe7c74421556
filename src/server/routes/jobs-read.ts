import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toMs } from '../../duration.js';
import { DocketError } from '../../errors.js';
import { isFinal, type Job } from '../../job.js';
import { jobVersion, showsStacks, toApiJob } from '../api-job.js';
import type { ServerContext } from '../context.js';
import { HttpError } from '../http-errors.js';
import { filterQueryProperties, parseFilter, type RawFilter } from '../job-filter.js';
import { JobWatch } from '../job-watch.js';
import { errors, jobIdParams } from '../schemas.js';

interface GetJobQuery {
  wait?: string;
  logs?: boolean;
}

type ListQuery = RawFilter & { limit?: number; cursor?: string };

/** The ETag value of an If-None-Match header (quotes and W/ removed), or null. */
function ifNoneMatch(request: FastifyRequest): string | null {
  const header = request.headers['if-none-match'];
  if (typeof header !== 'string') return null;
  return header.replace(/^W\//, '').replace(/^"|"$/g, '');
}

function notFound(id: string): DocketError {
  return new DocketError('DOCKET_NOT_FOUND', `no job with id ${id}`, { details: { id } });
}

/** Parses `?wait=`: a duration, capped by the server's maxWait. */
function waitMs(ctx: ServerContext, wait: string | undefined): number {
  if (wait === undefined) return 0;
  try {
    return Math.min(toMs(/^\d+$/.test(wait) ? Number(wait) : wait, 'wait'), ctx.maxWaitMs);
  } catch {
    throw new HttpError(
      400,
      'DOCKET_INVALID_INPUT',
      `wait "${wait.slice(0, 40)}" is not a duration; use e.g. 30s`,
      {
        details: { issues: [{ path: 'wait', message: 'is not a duration such as 30s', in: 'query' }] },
      },
    );
  }
}

/**
 * Reads the job, holding the request (long poll) up to `ms` while the job is
 * unfinished and, when `known` is given, still at that version. Ends early
 * on shutdown or when the client goes away.
 */
async function readWhenChanged(
  ctx: ServerContext,
  reply: FastifyReply,
  id: string,
  ms: number,
  known: string | null,
): Promise<Job> {
  const first = await ctx.docket.getJob(id);
  if (!first) throw notFound(id);
  const settled = (job: Job) => isFinal(job.state) || (known !== null && jobVersion(job) !== known);
  if (ms <= 0 || settled(first)) return first;
  const gone = new AbortController();
  const abort = () => gone.abort();
  reply.raw.once('close', abort);
  ctx.closing.addEventListener('abort', abort, { once: true });
  const watch = new JobWatch(ctx.docket, id, ctx.pollMs, gone.signal);
  const deadline = Date.now() + ms;
  try {
    let job = first;
    while (!settled(job) && !gone.signal.aborted && Date.now() < deadline) {
      await watch.wait(deadline - Date.now());
      const next = await ctx.docket.getJob(id);
      if (!next) throw notFound(id);
      job = next;
    }
    return job;
  } finally {
    watch.close();
    reply.raw.off('close', abort);
    ctx.closing.removeEventListener('abort', abort);
  }
}

/** `GET /v1/jobs/{id}` (with long poll) and `GET /v1/jobs`. */
export function jobsReadRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { docket } = ctx;

  app.get<{ Params: { id: string }; Querystring: GetJobQuery }>(
    '/v1/jobs/:id',
    {
      config: { access: 'job' },
      schema: {
        summary: 'Get a job (optionally waiting for it to change)',
        description:
          'With ?wait=30s the request is held until the job is final, or — when If-None-Match carries ' +
          'the ETag of a previous response — until it changes (state, attempt, progress), for at most ' +
          'wait (capped by the server). 304 when it is still at the If-None-Match version. ' +
          'Readable with the read token or the job follow token (also as ?access_token=).',
        tags: ['jobs'],
        params: jobIdParams,
        querystring: {
          type: 'object',
          properties: {
            wait: {
              type: 'string',
              maxLength: 32,
              description: "How long to hold the request: '30s', or ms.",
            },
            logs: { type: 'boolean', description: "Include the job's log lines." },
            access_token: {
              type: 'string',
              maxLength: 256,
              description: 'A follow token (for EventSource).',
            },
          },
        },
        response: {
          200: {
            description: 'The job; ETag is its version.',
            allOf: [
              { $ref: 'Job#' },
              { type: 'object', properties: { logs: { type: 'array', items: { $ref: 'LogLine#' } } } },
            ],
          },
          304: { type: 'null', description: 'Unchanged since If-None-Match.' },
          ...errors(400, 401, 404, 503),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const known = ifNoneMatch(request);
      const job = await readWhenChanged(ctx, reply, id, waitMs(ctx, request.query.wait), known);
      const version = jobVersion(job);
      reply.header('ETag', `"${version}"`).header('Cache-Control', 'no-store');
      if (known === version) return reply.status(304).send();
      const body = toApiJob(job, showsStacks(ctx.exposeStacks, request));
      if (!request.query.logs) return body;
      return { ...body, logs: await docket.getLogs(id) };
    },
  );

  app.get<{ Querystring: ListQuery }>(
    '/v1/jobs',
    {
      config: { access: 'read' },
      schema: {
        summary: 'List jobs, newest first',
        description:
          'Filters combine. state takes several values (state=failed,cancelled or repeated); text finds ' +
          'jobs whose input contains it (case-insensitive). ' +
          'Pass nextCursor back as cursor for the next page.',
        tags: ['jobs'],
        querystring: {
          type: 'object',
          properties: {
            ...filterQueryProperties,
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
            cursor: { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              jobs: { type: 'array', items: { $ref: 'Job#' } },
              nextCursor: { type: ['string', 'null'] },
            },
            required: ['jobs', 'nextCursor'],
          },
          ...errors(400, 401, 503),
        },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const page = await docket.listJobs({
        ...parseFilter(request.query),
        ...(limit ? { limit } : {}),
        ...(cursor ? { cursor } : {}),
      });
      const stacks = showsStacks(ctx.exposeStacks, request);
      return { jobs: page.jobs.map((job) => toApiJob(job, stacks)), nextCursor: page.nextCursor };
    },
  );
}

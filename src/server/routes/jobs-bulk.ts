import type { FastifyInstance } from 'fastify';
import { type BulkAction, bulkByFilter, bulkByIds, countMatching } from '../bulk.js';
import type { ServerContext } from '../context.js';
import { HttpError } from '../http-errors.js';
import { filterBodySchema, filterQueryProperties, parseFilter, type RawFilter } from '../job-filter.js';
import { errors, jobIdParams } from '../schemas.js';

/** Most ids in one bulk request. */
export const MAX_BULK_IDS = 1000;
/** Most jobs one filtered bulk request acts on; `more: true` asks the client to send it again. */
export const MAX_BULK_FILTER = 1000;
/** Most jobs a count pages through when it cannot use the per-state counts. */
const MAX_COUNT = 100_000;

const WORDS: Record<BulkAction, string> = {
  retry: 'Run failed or cancelled jobs again',
  cancel: 'Cancel unfinished jobs (running ones are asked to stop)',
  delete: 'Delete jobs that are not running, with their logs',
};

const resultSchema = {
  type: 'object',
  properties: {
    matched: {
      type: 'integer',
      description: 'Ids found, or jobs matching the filter in a state the action applies to.',
    },
    changed: { type: 'integer', description: 'Jobs the action was applied to.' },
    skipped: { type: 'integer', description: 'Matched jobs left alone: their state does not allow it.' },
    notFound: { type: 'integer', description: 'Ids with no job.' },
    more: {
      type: 'boolean',
      description: 'The filter matched more jobs than one request handles: send it again.',
    },
  },
  required: ['matched', 'changed', 'skipped', 'notFound', 'more'],
} as const;

type BulkBody = { ids?: string[]; filter?: RawFilter };

/**
 * `POST /v1/jobs:retry|cancel|delete` (by ids or by filter) and
 * `GET /v1/jobs:count`, so a confirmation can say how many jobs an action
 * will touch before it runs. Built on the client API, one job at a time.
 */
export function jobsBulkRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { docket } = ctx;

  for (const action of ['retry', 'cancel', 'delete'] as const) {
    app.post<{ Body: BulkBody }>(
      `/v1/jobs::${action}`,
      {
        config: { access: 'admin' },
        schema: {
          summary: `${WORDS[action]}, by ids or by filter`,
          description:
            `Send { "ids": [...] } (at most ${MAX_BULK_IDS}) or { "filter": { state, queue, task, key, text } }. ` +
            `A filter acts on at most ${MAX_BULK_FILTER} jobs per request, newest first, and only on those ` +
            'in a state the action applies to; more: true means others remain. Each job is changed ' +
            'as its own route would change it; jobs whose state does not allow it are counted as skipped.',
          tags: ['jobs'],
          body: {
            type: 'object',
            properties: {
              ids: {
                type: 'array',
                items: jobIdParams.properties.id,
                minItems: 1,
                maxItems: MAX_BULK_IDS,
              },
              filter: filterBodySchema,
            },
            additionalProperties: false,
          },
          response: { 200: resultSchema, ...errors(400, 401, 403, 503) },
        },
      },
      async (request) => {
        const { ids, filter } = request.body ?? {};
        if ((ids === undefined) === (filter === undefined)) {
          throw new HttpError(
            400,
            'DOCKET_INVALID_INPUT',
            'send either ids or filter (exactly one of them)',
            {
              details: { issues: [{ path: 'ids', message: 'send either ids or filter', in: 'body' }] },
            },
          );
        }
        if (ids) return bulkByIds(docket, action, ids);
        return bulkByFilter(docket, action, parseFilter(filter!, 'filter.state', 'body'), MAX_BULK_FILTER);
      },
    );
  }

  app.get<{ Querystring: RawFilter & { action?: BulkAction } }>(
    '/v1/jobs::count',
    {
      config: { access: 'read' },
      schema: {
        summary: 'How many jobs match a filter',
        description:
          'The filters of GET /v1/jobs. With action, only jobs in a state that action applies to ' +
          `are counted (what a bulk request with this filter would touch). Counting by task, key or text ` +
          `stops at ${MAX_COUNT} (capped: true).`,
        tags: ['jobs'],
        querystring: {
          type: 'object',
          properties: {
            ...filterQueryProperties,
            action: { type: 'string', enum: ['retry', 'cancel', 'delete'] },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { count: { type: 'integer' }, capped: { type: 'boolean' } },
            required: ['count', 'capped'],
          },
          ...errors(400, 401, 503),
        },
      },
    },
    async (request) => countMatching(docket, parseFilter(request.query), request.query.action, MAX_COUNT),
  );
}

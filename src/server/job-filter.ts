// The job filters shared by `GET /v1/jobs`, `GET /v1/jobs:count` and the
// bulk routes: one schema, one parser, so they cannot drift apart.
import { JOB_STATES, type JobState } from '../job.js';
import type { JobFilter } from './bulk.js';
import { HttpError } from './http-errors.js';

/** Query-string properties of the job filters. */
export const filterQueryProperties = {
  state: {
    type: 'array',
    items: { type: 'string', maxLength: 200 },
    maxItems: 10,
    description: 'One or more states, comma-separated or repeated.',
  },
  queue: { type: 'string', maxLength: 128 },
  task: { type: 'string', maxLength: 128 },
  key: { type: 'string', maxLength: 512 },
  text: {
    type: 'string',
    maxLength: 200,
    description: "Jobs whose input's JSON text contains this (case-insensitive), e.g. an email address.",
  },
} as const;

/** The same filters in a JSON body (`{ "filter": { … } }` of the bulk routes). */
export const filterBodySchema = {
  type: 'object',
  properties: {
    ...filterQueryProperties,
    state: { type: 'array', items: { type: 'string', enum: [...JOB_STATES] }, maxItems: 6 },
  },
  additionalProperties: false,
} as const;

/** The filters as they arrive, query or body. */
export interface RawFilter {
  state?: string[];
  queue?: string;
  task?: string;
  key?: string;
  text?: string;
}

/**
 * Reads the filters: splits `state=failed,cancelled`, refuses an unknown
 * state with a 400 naming `path`, and drops empty values.
 */
export function parseFilter(raw: RawFilter, path = 'state', where: 'query' | 'body' = 'query'): JobFilter {
  const states = (raw.state ?? []).flatMap((s) => s.split(',')).filter(Boolean);
  const unknown = states.find((s) => !JOB_STATES.includes(s as JobState));
  if (unknown !== undefined) {
    throw new HttpError(
      400,
      'DOCKET_INVALID_INPUT',
      `${path} "${unknown.slice(0, 40)}" is not one of ${JOB_STATES.join(', ')}`,
      { details: { issues: [{ path, message: `must be one of ${JOB_STATES.join(', ')}`, in: where }] } },
    );
  }
  const filter: JobFilter = {};
  if (states.length) filter.state = states as JobState[];
  if (raw.queue) filter.queue = raw.queue;
  if (raw.task) filter.task = raw.task;
  if (raw.key) filter.key = raw.key;
  if (raw.text) filter.text = raw.text;
  return filter;
}

import type { FastifyInstance } from 'fastify';
import { JOB_STATES } from '../job.js';

// JSON schemas shared by the routes. Each has an $id, so routes refer to it
// with { $ref: 'Job#' } and the OpenAPI document lists it once under
// components.schemas.

const nullableNumber = { type: ['number', 'null'] } as const;
const nullableString = { type: ['string', 'null'] } as const;

/** Job counts per state. */
const Counts = {
  $id: 'Counts',
  type: 'object',
  properties: Object.fromEntries(JOB_STATES.map((s) => [s, { type: 'integer' }])),
  required: [...JOB_STATES],
} as const;

const AttemptError = {
  $id: 'AttemptError',
  type: 'object',
  properties: {
    attempt: { type: 'integer' },
    code: { type: 'string' },
    message: { type: 'string' },
    stack: {
      type: 'string',
      description:
        'For read and admin tokens (not follow tokens), unless the server sets exposeStacks: false.',
    },
    at: { type: 'number' },
    workerId: { type: 'string' },
  },
  required: ['attempt', 'message', 'at'],
} as const;

const jobProperties = {
  id: { type: 'string' },
  task: { type: 'string' },
  queue: { type: 'string' },
  state: { type: 'string', enum: [...JOB_STATES] },
  input: { description: 'The validated input (any JSON).' },
  priority: { type: 'integer' },
  runAt: { type: 'number', description: 'Earliest start, ms since the epoch.' },
  attempt: { type: 'integer' },
  maxAttempts: { type: 'integer' },
  key: nullableString,
  timeoutMs: nullableNumber,
  progress: { description: 'The last progress the handler reported (any JSON), or null.' },
  result: { description: "The handler's return value (any JSON) once completed, else null." },
  errors: { type: 'array', items: { $ref: 'AttemptError#' } },
  workerId: nullableString,
  leaseExpiresAt: nullableNumber,
  cancelRequested: { type: 'boolean' },
  createdAt: { type: 'number' },
  startedAt: nullableNumber,
  finishedAt: nullableNumber,
} as const;

const Job = {
  $id: 'Job',
  type: 'object',
  properties: jobProperties,
  required: Object.keys(jobProperties).filter((k) => k !== 'input' && k !== 'progress' && k !== 'result'),
} as const;

const EnqueuedJob = {
  $id: 'EnqueuedJob',
  type: 'object',
  properties: {
    ...jobProperties,
    duplicate: { type: 'boolean', description: 'True when the key matched a job already there.' },
    followToken: {
      type: 'string',
      description: 'Read access to this one job (for a browser). With auth on.',
    },
  },
  required: [...Job.required, 'duplicate'],
} as const;

const durationSchema = {
  anyOf: [
    { type: 'number', minimum: 0 },
    { type: 'string', maxLength: 32 },
  ],
} as const;

const enqueueProperties = {
  task: { type: 'string', minLength: 1, maxLength: 128, description: 'The task name.' },
  input: { description: "The job's input, validated against the task's schema." },
  queue: { type: 'string', minLength: 1, maxLength: 128, description: "Overrides the task's queue." },
  delay: { ...durationSchema, description: "Run after this long: ms, or '30s', '5m', '2h'." },
  runAt: {
    anyOf: [
      { type: 'number', minimum: 0 },
      { type: 'string', format: 'date-time' },
    ],
    description: 'Run at this time: ms since the epoch, or an ISO 8601 date-time.',
  },
  priority: { type: 'integer', minimum: -1_000_000, maximum: 1_000_000, description: 'Higher runs first.' },
  key: {
    type: 'string',
    minLength: 1,
    maxLength: 512,
    description: 'Unique key (at most one unfinished job).',
  },
  attempts: { type: 'integer', minimum: 1, maximum: 1000 },
  timeout: { ...durationSchema, description: 'Per-attempt timeout.' },
} as const;

const EnqueueRequest = {
  $id: 'EnqueueRequest',
  type: 'object',
  properties: enqueueProperties,
  required: ['task'],
  additionalProperties: false,
} as const;

const ErrorBody = {
  $id: 'Error',
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string', description: 'Stable code, e.g. DOCKET_INVALID_INPUT.' },
        message: { type: 'string' },
        details: {
          type: 'object',
          additionalProperties: true,
          description:
            'issues: [{ path, message, in }] for invalid requests; known: [...] for an unknown task.',
        },
      },
      required: ['code', 'message', 'details'],
    },
  },
  required: ['error'],
} as const;

const queueSettingsProperties = {
  name: { type: 'string' },
  paused: { type: 'boolean' },
  backlogLimit: { type: ['integer', 'null'] },
} as const;

const QueueSettings = {
  $id: 'QueueSettings',
  type: 'object',
  properties: queueSettingsProperties,
  required: ['name', 'paused', 'backlogLimit'],
} as const;

const Queue = {
  $id: 'Queue',
  type: 'object',
  properties: {
    ...queueSettingsProperties,
    counts: { $ref: 'Counts#' },
    oldestAvailableAt: nullableNumber,
    finishedLastMinute: { type: 'integer' },
  },
  required: ['name', 'paused', 'backlogLimit', 'counts', 'oldestAvailableAt', 'finishedLastMinute'],
} as const;

const WorkerSchema = {
  $id: 'Worker',
  type: 'object',
  properties: {
    id: { type: 'string' },
    host: { type: 'string' },
    pid: { type: 'integer' },
    queues: { type: 'array', items: { type: 'string' } },
    concurrency: { type: 'integer' },
    startedAt: { type: 'number' },
    heartbeatAt: { type: 'number' },
    info: { type: 'object', additionalProperties: true },
  },
  required: ['id', 'host', 'pid', 'queues', 'concurrency', 'startedAt', 'heartbeatAt', 'info'],
} as const;

const LogLine = {
  $id: 'LogLine',
  type: 'object',
  properties: {
    seq: { type: 'integer' },
    at: { type: 'number' },
    attempt: { type: 'integer' },
    level: { type: 'string', enum: ['debug', 'info', 'warn', 'error'] },
    message: { type: 'string' },
  },
  required: ['seq', 'at', 'attempt', 'level', 'message'],
} as const;

/** Every shared schema, for `app.addSchema`. */
export const SHARED_SCHEMAS = [
  Counts,
  AttemptError,
  Job,
  EnqueuedJob,
  EnqueueRequest,
  ErrorBody,
  QueueSettings,
  Queue,
  WorkerSchema,
  LogLine,
];

/** Registers the shared schemas on the app. */
export function registerSchemas(app: FastifyInstance): void {
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
}

/** The `:id` path parameter of job routes. */
export const jobIdParams = {
  type: 'object',
  properties: { id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' } },
  required: ['id'],
} as const;

/** The `:name` path parameter of queue routes. */
export const queueNameParams = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]*$' },
  },
  required: ['name'],
} as const;

/** Error responses, by status, for a route's `response` schema (documents them in OpenAPI). */
export function errors(...statuses: number[]): Record<number, { $ref: string; description: string }> {
  const text: Record<number, string> = {
    400: 'Invalid request; details.issues names each field.',
    401: 'No or unknown bearer token.',
    403: 'The route needs the admin token.',
    404: 'Not found.',
    409: 'The job is in a state that does not allow this.',
    413: 'Body over the size limit.',
    415: 'Body is not JSON.',
    429: 'Queue full (backlog limit) or rate limited; see Retry-After.',
    503: 'Store unreachable or server closing; see Retry-After.',
  };
  return Object.fromEntries(statuses.map((s) => [s, { $ref: 'Error#', description: text[s] ?? 'Error.' }]));
}

import type { FastifyInstance } from 'fastify';
import type { ScheduleDefinition, ScheduleInfo } from '../../scheduler/definition.js';
import { tickSource } from '../../scheduler/ticks.js';
import { showsStacks, toApiJob } from '../api-job.js';
import type { ServerContext } from '../context.js';
import { errors } from '../schemas.js';

const MAX_NEXT = 50;

/** A schedule as the API shows it: the job template's input as JSON, and optionally the next N run times. */
function toApiSchedule(schedule: ScheduleInfo, next: number, now: number): Record<string, unknown> {
  const { job, ...rest } = schedule;
  let input: unknown = job.input;
  try {
    input = JSON.parse(job.input);
  } catch {
    // Stored by the client as JSON text; keep whatever is there if it is not.
  }
  const body: Record<string, unknown> = { ...rest, job: { ...job, input } };
  if (next > 0) {
    const runs: number[] = [];
    if (schedule.nextRunAt !== null) {
      try {
        const source = tickSource(schedule, now);
        let at: number | null = schedule.nextRunAt;
        while (at !== null && runs.length < next) {
          runs.push(at);
          at = source.next(at);
        }
      } catch {
        // A definition this version cannot read: no run times to show.
      }
    }
    body.nextRuns = runs;
  }
  return body;
}

const scheduleSchema = {
  $id: 'Schedule',
  type: 'object',
  properties: {
    name: { type: 'string' },
    cron: { type: ['string', 'null'] },
    everyMs: { type: ['number', 'null'] },
    tz: { type: 'string' },
    job: {
      type: 'object',
      properties: {
        task: { type: 'string' },
        queue: { type: 'string' },
        input: {},
        priority: { type: 'integer' },
        maxAttempts: { type: 'integer' },
        timeoutMs: { type: ['number', 'null'] },
      },
    },
    missed: { type: 'string', enum: ['skip', 'latest', 'all'] },
    missedLimit: { type: 'integer' },
    graceMs: { type: 'number' },
    overlap: { type: 'string', enum: ['allow', 'skip'] },
    paused: { type: 'boolean' },
    cursor: { type: 'number' },
    lastTick: { type: ['number', 'null'] },
    lastJobId: { type: ['string', 'null'] },
    lastRunAt: { type: ['number', 'null'] },
    createdAt: { type: 'number' },
    updatedAt: { type: 'number' },
    nextRunAt: { type: ['number', 'null'], description: 'The next tick; null when paused.' },
    nextRuns: {
      type: 'array',
      items: { type: 'number' },
      description: 'With ?next=N: the next N run times.',
    },
  },
  required: ['name', 'cron', 'everyMs', 'tz', 'job', 'paused', 'nextRunAt'],
} as const;

const durationSchema = {
  anyOf: [
    { type: 'number', minimum: 0 },
    { type: 'string', maxLength: 32 },
  ],
} as const;

const nameParams = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]*$' },
  },
  required: ['name'],
} as const;

const nextQuery = {
  type: 'object',
  properties: { next: { type: 'integer', minimum: 0, maximum: MAX_NEXT, default: 0 } },
  additionalProperties: false,
} as const;

/** Schedules: list with next runs, one, declare (PUT), delete, pause/resume, trigger. */
export function scheduleRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { docket } = ctx;
  app.addSchema(scheduleSchema);
  type ByName = { Params: { name: string } };
  type Next = { Querystring: { next?: number } };

  app.get<Next>(
    '/v1/schedules',
    {
      config: { access: 'read' },
      schema: {
        summary: 'List schedules with their next run (and the next N with ?next=N)',
        tags: ['schedules'],
        querystring: nextQuery,
        response: {
          200: {
            type: 'object',
            properties: { schedules: { type: 'array', items: { $ref: 'Schedule#' } } },
            required: ['schedules'],
          },
          ...errors(400, 401, 503),
        },
      },
    },
    async (request) => {
      const now = docket.clock.now();
      const list = await docket.listSchedules();
      return { schedules: list.map((s) => toApiSchedule(s, request.query.next ?? 0, now)) };
    },
  );

  app.get<ByName & Next>(
    '/v1/schedules/:name',
    {
      config: { access: 'read' },
      schema: {
        summary: 'One schedule with its next run (and the next N with ?next=N)',
        tags: ['schedules'],
        params: nameParams,
        querystring: nextQuery,
        response: { 200: { $ref: 'Schedule#' }, ...errors(400, 401, 404, 503) },
      },
    },
    async (request) =>
      toApiSchedule(
        await docket.getSchedule(request.params.name),
        request.query.next ?? 0,
        docket.clock.now(),
      ),
  );

  app.put<ByName & { Body: ScheduleDefinition & { task: string } }>(
    '/v1/schedules/:name',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Declare a schedule, or update the one with this name',
        description:
          'Exactly one of cron and every. The input is validated against the task now. Paused state and ' +
          'tick history of an existing schedule are kept.',
        tags: ['schedules'],
        params: nameParams,
        body: {
          type: 'object',
          properties: {
            cron: { type: 'string', maxLength: 200 },
            every: durationSchema,
            tz: { type: 'string', maxLength: 64 },
            task: { type: 'string', minLength: 1, maxLength: 128 },
            input: {},
            options: {
              type: 'object',
              properties: {
                queue: { type: 'string', minLength: 1, maxLength: 128 },
                priority: { type: 'integer' },
                attempts: { type: 'integer', minimum: 1 },
                timeout: durationSchema,
              },
              additionalProperties: false,
            },
            missed: { type: 'string', enum: ['skip', 'latest', 'all'] },
            missedLimit: { type: 'integer', minimum: 1 },
            grace: durationSchema,
            overlap: { type: 'string', enum: ['allow', 'skip'] },
          },
          required: ['task'],
          additionalProperties: false,
        },
        response: { 200: { $ref: 'Schedule#' }, ...errors(400, 401, 403, 404, 415, 503) },
      },
    },
    async (request) =>
      toApiSchedule(await docket.schedule(request.params.name, request.body), 0, docket.clock.now()),
  );

  app.delete<ByName>(
    '/v1/schedules/:name',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Delete a schedule (the jobs it enqueued stay)',
        tags: ['schedules'],
        params: nameParams,
        response: { 204: { type: 'null', description: 'Deleted.' }, ...errors(401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      await docket.removeSchedule(request.params.name);
      return reply.status(204).send();
    },
  );

  for (const action of ['pause', 'resume'] as const) {
    app.post<ByName>(
      `/v1/schedules/:name/${action}`,
      {
        config: { access: 'admin' },
        schema: {
          summary:
            action === 'pause' ? 'Stop a schedule firing (every host)' : 'Let a paused schedule fire again',
          description:
            action === 'resume' ? 'Ticks that fell while it was paused are not caught up.' : undefined,
          tags: ['schedules'],
          params: nameParams,
          response: { 200: { $ref: 'Schedule#' }, ...errors(401, 403, 404, 503) },
        },
      },
      async (request) => {
        const name = request.params.name;
        const info =
          action === 'pause' ? await docket.pauseSchedule(name) : await docket.resumeSchedule(name);
        return toApiSchedule(info, 0, docket.clock.now());
      },
    );
  }

  app.post<ByName>(
    '/v1/schedules/:name/trigger',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Run a schedule now, outside its ticks',
        description: 'Enqueues one job, due at once; works on a paused schedule too.',
        tags: ['schedules'],
        params: nameParams,
        response: { 202: { $ref: 'Job#' }, ...errors(401, 403, 404, 429, 503) },
      },
    },
    async (request, reply) => {
      const job = await docket.triggerSchedule(request.params.name);
      reply.header('Location', `/v1/jobs/${job.id}`);
      return reply.status(202).send(toApiJob(job, showsStacks(ctx.exposeStacks, request)));
    },
  );
}

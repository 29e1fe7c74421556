import type { FastifyInstance } from 'fastify';
import { DocketError } from '../../errors.js';
import type { ApiJobEvent } from '../../http-client/wire.js';
import { isFinal, type Job } from '../../job.js';
import { hashJson, showsStacks, stateKey, toApiJob } from '../api-job.js';
import type { ServerContext } from '../context.js';
import { JobWatch } from '../job-watch.js';
import { errors, jobIdParams } from '../schemas.js';
import { SseStream } from '../sse.js';

/**
 * Where a follower is: the job state it last saw, a hash of the progress it
 * last saw, and the last log line. It is the SSE event id, so a client that
 * reconnects with Last-Event-ID gets exactly what it missed — from any
 * server, since it holds no server-side state.
 */
interface Cursor {
  state: string;
  progress: string;
  seq: number;
  /** The `end` event was delivered. */
  end: boolean;
}

const LOG_PAGE = 500;

/** Reads a Last-Event-ID; anything unreadable starts from the beginning. */
export function parseCursor(text: string | undefined): Cursor {
  const fresh: Cursor = { state: '', progress: '0', seq: 0, end: false };
  if (!text || text.length > 200) return fresh;
  const [state, progress, seq, end] = text.split('~');
  const n = Number(seq);
  if (!state || !progress || !Number.isSafeInteger(n) || n < 0) return fresh;
  return { state, progress, seq: n, end: end === 'end' };
}

function formatCursor(cursor: Cursor): string {
  return `${cursor.state}~${cursor.progress}~${cursor.seq}${cursor.end ? '~end' : ''}`;
}

/** The state event for a job, with the last attempt's error when that attempt failed. */
function stateEvent(job: Job): Extract<ApiJobEvent, { type: 'state' }> {
  const last = job.errors[job.errors.length - 1];
  const failedNow = last !== undefined && last.attempt === job.attempt && job.state !== 'active';
  return {
    type: 'state',
    state: job.state,
    attempt: job.attempt,
    maxAttempts: job.maxAttempts,
    ...(failedNow ? { error: last.message } : {}),
    at: job.finishedAt ?? job.startedAt ?? job.createdAt,
  };
}

/** `GET /v1/jobs/{id}/events`: Server-Sent Events for one job, resumable with Last-Event-ID. */
export function jobEventsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { docket } = ctx;

  app.get<{ Params: { id: string }; Querystring: { lastEventId?: string } }>(
    '/v1/jobs/:id/events',
    {
      config: { access: 'job' },
      // A HEAD would hold a stream open with nothing to send.
      exposeHeadRoute: false,
      schema: {
        summary: "Follow a job's state, progress, logs and outcome (Server-Sent Events)",
        description:
          'Events: state, progress, log, then end (carrying the final job: result or errors), after which ' +
          'the server closes the stream; gone if the job is deleted. Each event id is a cursor: reconnect ' +
          'with Last-Event-ID (or ?lastEventId=) to get only what was missed. A reconnect after end gets ' +
          '204, which tells EventSource to stop. Works whichever process runs the job.',
        tags: ['jobs'],
        params: jobIdParams,
        querystring: {
          type: 'object',
          properties: {
            lastEventId: { type: 'string', maxLength: 200 },
            access_token: {
              type: 'string',
              maxLength: 256,
              description: 'A follow token (for EventSource).',
            },
          },
        },
        headers: { type: 'object', properties: { 'last-event-id': { type: 'string', maxLength: 200 } } },
        response: {
          200: { type: 'string', description: 'text/event-stream' },
          204: { type: 'null', description: 'The end was already delivered to this client.' },
          ...errors(400, 401, 404, 503),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      let job = await docket.getJob(id);
      if (!job) throw new DocketError('DOCKET_NOT_FOUND', `no job with id ${id}`, { details: { id } });
      const header = request.headers['last-event-id'];
      const cursor = parseCursor(typeof header === 'string' ? header : request.query.lastEventId);
      if (cursor.end && isFinal(job.state)) return reply.status(204).send();
      if (ctx.closing.aborted) {
        throw new DocketError('DOCKET_SHUTDOWN', 'the server is shutting down; reconnect shortly');
      }
      cursor.end = false;

      const stream = new SseStream(request, reply, { heartbeatMs: ctx.heartbeatMs, retryMs: 1000 });
      ctx.streams.add(stream);
      ctx.metrics.sseOpen(1);
      const watch = new JobWatch(docket, id, ctx.pollMs, stream.signal);
      const send = (event: ApiJobEvent) => {
        const { type, ...data } = event;
        stream.send(type, data, formatCursor(cursor));
      };
      try {
        while (!stream.closed) {
          const key = stateKey(job);
          if (key !== cursor.state) {
            cursor.state = key;
            send(stateEvent(job));
          }
          const progress = hashJson(job.progress);
          if (progress !== cursor.progress) {
            cursor.progress = progress;
            send({ type: 'progress', progress: job.progress });
          }
          // Logs are read after the job row, so a final row means every line is already stored.
          for (;;) {
            const lines = await docket.getLogs(id, { afterSeq: cursor.seq, limit: LOG_PAGE });
            for (const line of lines) {
              cursor.seq = line.seq;
              send({ type: 'log', line });
            }
            if (lines.length < LOG_PAGE) break;
          }
          if (isFinal(job.state)) {
            cursor.end = true;
            send({ type: 'end', job: toApiJob(job, showsStacks(ctx.exposeStacks, request)) });
            break;
          }
          await watch.wait();
          if (stream.closed) break;
          const next = await docket.getJob(id);
          if (!next) {
            send({ type: 'gone', id });
            break;
          }
          job = next;
        }
      } catch (error) {
        // The client reconnects with its cursor; by then the store may answer again.
        request.log.warn({ err: error, job: id }, 'job event stream stopped on an error');
      } finally {
        watch.close();
        stream.close();
        ctx.streams.delete(stream);
        ctx.metrics.sseOpen(-1);
      }
    },
  );
}

import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { ApiJob } from '../http-client/wire.js';
import type { Job } from '../job.js';

/**
 * Whether this caller may see attempts' stack traces: operators (read and
 * admin tokens, or anyone on an open loopback server) do, unless the server
 * turned stacks off. A follow token never does: it is held by an end
 * user's browser, and a stack shows file paths and code to whoever has it.
 */
export function showsStacks(exposeStacks: boolean, request: FastifyRequest): boolean {
  const role = request.principal?.role;
  return exposeStacks && (role === 'admin' || role === 'read' || role === 'anonymous');
}

/** A job as the API shows it: stack traces removed unless `withStacks` (see showsStacks). */
export function toApiJob(job: Job, withStacks: boolean): ApiJob {
  if (withStacks || job.errors.every((e) => e.stack === undefined)) return job as ApiJob;
  return { ...job, errors: job.errors.map(({ stack: _stack, ...rest }) => rest) } as ApiJob;
}

/** A short hash of any JSON value; equal values give equal hashes on every server. */
export function hashJson(value: unknown): string {
  if (value === null || value === undefined) return '0';
  return createHash('sha1').update(JSON.stringify(value)).digest('base64url').slice(0, 10);
}

/** What a watcher of a job can see change: state, attempt, cancel request. */
export function stateKey(job: Job): string {
  return `${job.state}.${job.attempt}.${job.cancelRequested ? 1 : 0}`;
}

/**
 * The version of a job as clients see it (state and progress), used as its
 * ETag: a long poll with If-None-Match waits until it differs.
 */
export function jobVersion(job: Job): string {
  return `${stateKey(job)}.${hashJson(job.progress)}`;
}

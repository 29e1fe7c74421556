import type { FastifyError, FastifyInstance } from 'fastify';
import type { ApiIssue } from '../http-client/wire.js';
import { errorBody, HttpError, type HttpErrorCode, toHttpError } from './http-errors.js';

interface AjvIssue {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
}

const PART: Record<string, ApiIssue['in']> = {
  body: 'body',
  querystring: 'query',
  params: 'path',
  headers: 'header',
};

/** One ajv error as a field issue: `/jobs/2/task` becomes `jobs.2.task`; missing and extra fields are named too. */
function toIssue(issue: AjvIssue, context: string | undefined): ApiIssue {
  const segments = issue.instancePath.split('/').filter(Boolean);
  const extra = issue.params.missingProperty ?? issue.params.additionalProperty;
  if (typeof extra === 'string') segments.push(extra);
  const message =
    issue.keyword === 'additionalProperties' ? 'is not a known field' : (issue.message ?? 'is not valid');
  const part = PART[context ?? 'body'];
  return { path: segments.join('.'), message, ...(part ? { in: part } : {}) };
}

/** Fastify's own errors, by code, as Docket codes. */
const FASTIFY_CODES: Record<string, [number, HttpErrorCode]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'DOCKET_PAYLOAD_TOO_LARGE'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'DOCKET_UNSUPPORTED_MEDIA_TYPE'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'DOCKET_INVALID_INPUT'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'DOCKET_MALFORMED_JSON'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'DOCKET_MALFORMED_JSON'],
  FST_ERR_BAD_URL: [400, 'DOCKET_INVALID_INPUT'],
  FST_ERR_ASYNC_CONSTRAINT: [400, 'DOCKET_INVALID_INPUT'],
};

/** Maps whatever a request threw to the HTTP error to answer with. */
export function classify(error: FastifyError | Error): HttpError {
  const fastifyError = error as FastifyError;
  if (Array.isArray(fastifyError.validation)) {
    const issues = (fastifyError.validation as AjvIssue[]).map((i) =>
      toIssue(i, fastifyError.validationContext),
    );
    const summary = issues.map((i) => `${i.path || '(request)'} ${i.message}`).join('; ');
    return new HttpError(400, 'DOCKET_INVALID_INPUT', `invalid request: ${summary}`, { details: { issues } });
  }
  const known = typeof fastifyError.code === 'string' ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (known) return new HttpError(known[0], known[1], error.message);
  const status = fastifyError.statusCode;
  // Other client errors fastify raises itself (bad URLs, bad headers) keep their status.
  if (!(error instanceof HttpError) && typeof status === 'number' && status >= 400 && status < 500) {
    return new HttpError(
      status,
      status === 404 ? 'DOCKET_ROUTE_NOT_FOUND' : 'DOCKET_INVALID_INPUT',
      error.message,
    );
  }
  return toHttpError(error);
}

/**
 * Installs the error and not-found handlers: every error answers
 * `{ error: { code, message, details } }`, with Retry-After on 429 and 503,
 * and never a stack trace. Server faults are logged with their stack.
 */
export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const http = classify(error as FastifyError);
    if (http.statusCode >= 500) request.log.error({ err: error }, 'request failed');
    if (http.retryAfter !== undefined)
      reply.header('Retry-After', String(Math.max(1, Math.ceil(http.retryAfter))));
    return reply.status(http.statusCode).type('application/json').send(errorBody(http));
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const http = new HttpError(
      404,
      'DOCKET_ROUTE_NOT_FOUND',
      `no route ${request.method} ${path.slice(0, 200)}; see /openapi.json`,
    );
    return reply.status(404).type('application/json').send(errorBody(http));
  });
}

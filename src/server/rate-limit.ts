import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { toMs } from '../duration.js';
import { HttpError } from './http-errors.js';
import type { RateLimitOptions } from './options.js';

/**
 * Limits requests per caller: per token when one is sent (the auth hook
 * runs first and names the caller), per client address otherwise. Over the
 * limit: 429 DOCKET_RATE_LIMITED with Retry-After.
 */
export async function registerRateLimit(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  await app.register(fastifyRateLimit, {
    global: true,
    max: options.max ?? 6000,
    timeWindow: toMs(options.timeWindow ?? '1m', 'rateLimit.timeWindow'),
    // After auth (onRequest), so the bucket is the authenticated token.
    hook: 'preHandler',
    keyGenerator: (request) => request.principal?.key ?? `ip:${request.ip}`,
    errorResponseBuilder: (_request, context) =>
      new HttpError(
        429,
        'DOCKET_RATE_LIMITED',
        `rate limit of ${context.max} requests per ${context.after} reached`,
        {
          details: { limit: context.max, window: context.after },
          retryAfter: Math.ceil(context.ttl / 1000),
        },
      ),
  });
}

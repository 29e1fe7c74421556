import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';

/**
 * Registers @fastify/swagger so the OpenAPI 3.1 document is generated from
 * the routes' own JSON schemas (one source of truth), and serves it at
 * `/openapi.json`. Must be registered before the routes it describes.
 */
export async function registerOpenApi(
  app: FastifyInstance,
  version: string,
  secured: boolean,
): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Docket HTTP API',
        version,
        description:
          'Enqueue background jobs, follow them (long poll or Server-Sent Events), and operate queues. ' +
          'Errors are { error: { code, message, details } }. Write routes need the admin token; ' +
          'read routes the read or admin token. See docs/http-api.md.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
      ...(secured ? { security: [{ bearer: [] }] } : {}),
      tags: [
        { name: 'jobs', description: 'Enqueue, read, follow and operate jobs.' },
        { name: 'queues', description: 'Counts, pause/resume, backlog limits.' },
        { name: 'workers', description: 'Live workers.' },
        { name: 'schedules', description: 'Cron and interval schedules: next runs, pause/resume, trigger.' },
        { name: 'health', description: 'Liveness, readiness and metrics.' },
      ],
    },
    // Shared schemas keep their $id as their name under components.schemas.
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
}

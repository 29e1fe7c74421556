import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { errors } from '../schemas.js';

/**
 * `GET /v1/session`: what the presented token may do, so a UI can disable
 * what it cannot do without probing a write route.
 */
export function sessionRoutes(app: FastifyInstance, _ctx: ServerContext): void {
  app.get(
    '/v1/session',
    {
      config: { access: 'read' },
      schema: {
        summary: 'The role of the presented token',
        description:
          'admin: every route; read: every read route; open: the server has no tokens (loopback only), ' +
          'so every route is open. 401 without a valid read or admin token.',
        tags: ['auth'],
        response: {
          200: {
            type: 'object',
            properties: { role: { type: 'string', enum: ['admin', 'read', 'open'] } },
            required: ['role'],
          },
          ...errors(401),
        },
      },
    },
    async (request) => {
      const role = request.principal?.role;
      // The `read` access level lets only these three through; follow tokens never reach here.
      return { role: role === 'admin' || role === 'read' ? role : 'open' };
    },
  );
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FollowTokens } from './follow-token.js';
import { HttpError } from './http-errors.js';
import type { ServerTokens } from './options.js';

/**
 * Who may call a route:
 * - `public`: anyone (health, the OpenAPI document, static assets);
 * - `read`: the read or the admin token;
 * - `job`: like read, or a follow token for the job in the `:id` path parameter;
 * - `admin`: the admin token only (every write).
 */
export type Access = 'public' | 'read' | 'job' | 'admin';

/** Who made a request, once authenticated. */
export interface Principal {
  role: 'admin' | 'read' | 'follow' | 'anonymous';
  /** A stable, non-secret key for this caller: what the rate limit counts by. */
  key: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route; see Access. Routes without it are admin-only, so a forgotten one fails closed. */
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

function list(value: string | string[] | undefined): string[] {
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((t) => t.length > 0);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Checks bearer tokens in constant time: both sides are hashed to 32 bytes
 * first (so lengths never leak) and every configured token is compared,
 * with no early exit.
 */
export class TokenAuth {
  private readonly admin: Buffer[];
  private readonly read: Buffer[];

  constructor(tokens: ServerTokens = {}) {
    this.admin = list(tokens.admin).map(digest);
    this.read = list(tokens.read).map(digest);
  }

  /** True when any token is configured; otherwise the server runs open on loopback. */
  get enabled(): boolean {
    return this.admin.length + this.read.length > 0;
  }

  /** The role of a bearer token, or null for an unknown one. */
  roleOf(token: string): 'admin' | 'read' | null {
    const given = digest(token);
    let admin = false;
    let read = false;
    for (const known of this.admin) admin = timingSafeEqual(given, known) || admin;
    for (const known of this.read) read = timingSafeEqual(given, known) || read;
    return admin ? 'admin' : read ? 'read' : null;
  }
}

/** The token of an `Authorization: Bearer …` header, or null. */
function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match ? match[1]! : null;
}

/** A non-secret label for a token, for rate-limit buckets. */
function label(role: string, token: string): string {
  return `${role}:${digest(token).toString('base64url').slice(0, 16)}`;
}

function unauthorized(message: string): HttpError {
  return new HttpError(401, 'DOCKET_UNAUTHORIZED', message);
}

/**
 * Adds the hook that authenticates every request against its route's
 * `config.access`. With no tokens configured every route is open (the
 * server is then bound to loopback only).
 */
export function registerAuth(app: FastifyInstance, auth: TokenAuth, follow: FollowTokens | null): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    // Unknown routes answer 404 to anyone: the route table is public (see /openapi.json).
    const access: Access = request.is404 ? 'public' : (request.routeOptions.config?.access ?? 'admin');
    if (!auth.enabled) {
      request.principal = { role: 'anonymous', key: `ip:${request.ip}` };
      return;
    }
    const token = bearer(request);
    const role = token === null ? null : auth.roleOf(token);
    if (token !== null && role !== null) request.principal = { role, key: label(role, token) };
    if (access === 'public') return;
    if (access === 'job' && role === null) {
      const id = (request.params as { id?: unknown } | undefined)?.id;
      const query = request.query as { access_token?: unknown } | undefined;
      const candidate = token ?? (typeof query?.access_token === 'string' ? query.access_token : null);
      if (typeof id === 'string' && candidate !== null && follow?.verify(id, candidate)) {
        request.principal = { role: 'follow', key: `follow:${id}` };
        return;
      }
    }
    if (role === null) {
      reply.header('WWW-Authenticate', 'Bearer realm="docket"');
      throw unauthorized(
        token === null
          ? 'this route needs a bearer token: send "Authorization: Bearer <token>"'
          : 'the bearer token is not valid here',
      );
    }
    if (access === 'admin' && role !== 'admin') {
      throw new HttpError(403, 'DOCKET_FORBIDDEN', 'this route changes data and needs the admin token');
    }
  });
}

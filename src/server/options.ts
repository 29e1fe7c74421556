import type { Duration } from '../duration.js';
import type { Logger } from '../logger.js';

/** Bearer tokens. Each may be one token or several (to rotate without downtime). */
export interface ServerTokens {
  /** May call every route, writes included. */
  admin?: string | string[];
  /** May call read routes only (GET). */
  read?: string | string[];
}

/** Per-token request limits (through @fastify/rate-limit). */
export interface RateLimitOptions {
  /** Requests per window for one token (or one client address without a token). Default 6000. */
  max?: number;
  /** The window. Default `'1m'`. */
  timeWindow?: Duration;
}

/** Options of `createServer`. */
export interface ServerOptions {
  /** Port to listen on. Default 3000, or `$PORT`. 0 picks a free port. */
  port?: number;
  /**
   * Address to bind. Default `0.0.0.0` with tokens configured. Without
   * tokens the server always binds 127.0.0.1, whatever this says, and logs
   * that it did: an open job API must not be reachable from the network.
   */
  host?: string;
  /** Bearer tokens. None: no auth, loopback only. */
  tokens?: ServerTokens;
  /**
   * Secret for the per-job follow tokens handed out on enqueue (read access
   * to one job, for a browser). Default: derived from the admin tokens.
   */
  followSecret?: string;
  /** How long a follow token stays valid. Default `'24h'`. */
  followTokenTtl?: Duration;
  /** Origins allowed to call the API from a browser; `'*'` for any. Default: CORS off. */
  cors?: string[] | '*';
  /** Per-token rate limit; `false` turns it off. Default 6000 requests a minute per token. */
  rateLimit?: RateLimitOptions | false;
  /** Largest request body in bytes (413 above it, before reading it all). Default: the payload limit plus 64 KiB. */
  bodyLimit?: number;
  /** Largest body of `POST /v1/jobs:batch`. Default 16 MiB. */
  batchBodyLimit?: number;
  /** Most jobs in one batch. Default 1000. */
  maxBatch?: number;
  /** Deepest nesting of arrays and objects a JSON body may have. Default 64. */
  maxJsonDepth?: number;
  /** Longest `?wait=` of a long poll. Default `'60s'`. */
  maxWait?: Duration;
  /** How often live streams and long polls re-read the store (jobs run by other processes). Default `'500ms'`. */
  pollInterval?: Duration;
  /** Comment lines on idle SSE streams, so proxies keep them open. Default `'15s'`. */
  heartbeatInterval?: Duration;
  /**
   * Show attempt errors' stack traces to operators: callers with the read or
   * admin token (or anyone, on a server without tokens, which is loopback
   * only). Follow tokens never see stacks: browsers of end users hold them.
   * `false` hides stacks from everyone. Default true.
   */
  exposeStacks?: boolean;
  /** A built dashboard to serve at `/` (e.g. `dist/dashboard`). Default: none. */
  dashboardDir?: string;
  /** Serve the example pages (examples/web) at `/examples/`. Default false. */
  examples?: boolean;
  /** Where request and startup messages go. Default: Docket's pino logger. */
  logger?: Logger;
  /** Trust X-Forwarded-* from a proxy in front (fastify's trustProxy). Default false. */
  trustProxy?: boolean | string | string[];
}

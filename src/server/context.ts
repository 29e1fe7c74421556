import type { Docket } from '../client.js';
import type { FollowTokens } from './follow-token.js';
import type { ServerMetrics } from './metrics.js';
import type { SseStream } from './sse.js';

/** What every route module gets: the Docket instance and the server's resolved settings and state. */
export interface ServerContext {
  docket: Docket;
  /** Issues and checks per-job follow tokens; null when auth is off (no tokens needed). */
  followTokens: FollowTokens | null;
  metrics: ServerMetrics;
  /** Stack traces may be shown to operators (never to follow tokens); see showsStacks. */
  exposeStacks: boolean;
  pollMs: number;
  heartbeatMs: number;
  maxWaitMs: number;
  maxBatch: number;
  batchBodyLimit: number;
  /** Open SSE streams, closed on shutdown. */
  streams: Set<SseStream>;
  /** Aborted when the server starts shutting down: long polls answer at once, streams end. */
  closing: AbortSignal;
}

// The HTTP server's public surface.

export type { Access } from './auth.js';
export type { DocketServer, ListeningAddress } from './create-server.js';
export { createServer } from './create-server.js';
export type { HttpErrorCode, HttpOnlyErrorCode } from './http-errors.js';
export type { RateLimitOptions, ServerOptions, ServerTokens } from './options.js';

// `docket/client`: a typed client for Docket's HTTP API, on fetch. It pulls
// in no server code, so any Node service (or bundler) can use it.

export type { ClientEnqueueOptions, ClientListOptions, DocketClientOptions, NamedTask } from './client.js';
export { DocketClient } from './client.js';
export { DocketHttpError } from './errors.js';
export type { FollowEvent, FollowOptions } from './follow.js';
export type { SseMessage } from './sse-parser.js';
export { parseSse } from './sse-parser.js';
export type * from './wire.js';

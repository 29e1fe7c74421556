import type { Docket } from '../client.js';
import type { DocketServer } from './create-server.js';
import type { ServerOptions } from './options.js';

/**
 * Serves Docket's HTTP API and dashboard for `docket`: jobs, queues,
 * workers, live updates over SSE, health and metrics, with the OpenAPI
 * document at /openapi.json (see docs/http-api.md). The server's modules
 * (fastify and its plugins) load on the first call, so a process that only
 * enqueues or runs jobs never pays for them (about 16 MiB of memory).
 */
export async function createServer(docket: Docket, options: ServerOptions = {}): Promise<DocketServer> {
  const server = await import('./create-server.js');
  return server.createServer(docket, options);
}

import type { FastifyReply, FastifyRequest } from 'fastify';

/** Past this many bytes unsent to a slow client, the stream is dropped; the client resumes with Last-Event-ID. */
const MAX_BUFFERED = 1024 * 1024;

/**
 * One Server-Sent Events response. Takes the response over from fastify
 * (hijack), keeps it alive with comment lines, and ends cleanly when the
 * client leaves, when the server shuts down, or when the feed is done.
 */
export class SseStream {
  private readonly controller = new AbortController();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    request: FastifyRequest,
    private readonly reply: FastifyReply,
    options: { heartbeatMs: number; retryMs: number },
  ) {
    reply.hijack();
    const raw = reply.raw;
    // Headers set by hooks (CORS, rate limit) are on the reply; carry them over to the raw response.
    const headers: Record<string, string | number | string[]> = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) headers[name] = value as string | number | string[];
    }
    raw.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Stops nginx and similar proxies from buffering the stream.
      'x-accel-buffering': 'no',
    });
    raw.write(`retry: ${options.retryMs}\n\n`);
    this.heartbeat = setInterval(() => this.write(': keep-alive\n\n'), options.heartbeatMs);
    this.heartbeat.unref();
    const gone = () => this.close();
    request.raw.socket.once('close', gone);
    raw.once('close', gone);
  }

  /** Aborted once the stream is closed, from either side. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get closed(): boolean {
    return this.controller.signal.aborted;
  }

  /** Sends one event. `data` is sent as one line of JSON. */
  send(event: string, data: unknown, id?: string): void {
    this.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private write(text: string): void {
    if (this.closed) return;
    const raw = this.reply.raw;
    if (raw.writableLength > MAX_BUFFERED) {
      this.close();
      return;
    }
    raw.write(text);
  }

  /** Ends the response (the client may reconnect with Last-Event-ID). */
  close(): void {
    if (this.closed) return;
    this.controller.abort();
    clearInterval(this.heartbeat);
    const raw = this.reply.raw;
    if (!raw.writableEnded) raw.end();
  }
}

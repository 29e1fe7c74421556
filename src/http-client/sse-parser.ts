/** One Server-Sent Event as received. */
export interface SseMessage {
  /** The `event:` field; `message` when none was sent. */
  event: string;
  data: string;
  /** The `id:` field of this event, if it had one. */
  id?: string;
  /** A `retry:` hint in ms, sent with this event or just before it. */
  retry?: number;
}

/**
 * Parses a text/event-stream body into events, following the WHATWG
 * EventSource rules (any line ending, comments, multi-line data, fields
 * without a value). Works on any stream of bytes, e.g. a fetch body.
 */
export async function* parseSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  let retry: number | undefined;
  // A retry hint may come in a block of its own; it rides along with the next event.
  let pendingRetry: number | undefined;
  const flushLine = function* (line: string): Generator<SseMessage> {
    if (line === '') {
      if (retry !== undefined) pendingRetry = retry;
      if (data.length > 0) {
        const message: SseMessage = { event: event || 'message', data: data.join('\n') };
        if (id !== undefined) message.id = id;
        if (pendingRetry !== undefined) message.retry = pendingRetry;
        pendingRetry = undefined;
        yield message;
      }
      event = '';
      data = [];
      id = undefined;
      retry = undefined;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
  };
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    for (;;) {
      const match = /\r\n|\n|\r/.exec(buffer);
      // A lone \r at the end may be the first half of \r\n: wait for more.
      if (!match || (match[0] === '\r' && match.index === buffer.length - 1)) break;
      const line = buffer.slice(0, match.index);
      buffer = buffer.slice(match.index + match[0].length);
      yield* flushLine(line);
    }
  }
}

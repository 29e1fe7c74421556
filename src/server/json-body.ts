import type { FastifyInstance } from 'fastify';
import { HttpError } from './http-errors.js';

/**
 * The deepest nesting of `text` as JSON, counting only brackets outside
 * strings. Stops counting once past `limit`. A linear scan, so a hostile
 * body cannot make the check itself expensive.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > limit) return true;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return false;
}

/**
 * Replaces fastify's body parsers with one for JSON that also refuses bodies nested
 * deeper than `maxDepth`: validators and serialisers recurse, and a body of
 * 100,000 nested arrays would otherwise end in a stack overflow (a 500).
 * An empty body is treated as no body, so `POST …/cancel` with a
 * `Content-Type: application/json` header and nothing else still works.
 */
export function registerJsonBody(app: FastifyInstance, maxDepth: number): void {
  // JSON only: fastify's text/plain parser would let a form-ish body reach the routes as a string.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    if (jsonDepthExceeds(text, maxDepth)) {
      done(
        new HttpError(400, 'DOCKET_INVALID_INPUT', `the JSON body is nested deeper than ${maxDepth} levels`, {
          details: {
            maxDepth,
            issues: [{ path: '', message: `nested deeper than ${maxDepth} levels`, in: 'body' }],
          },
        }),
        undefined,
      );
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (cause) {
      done(
        new HttpError(
          400,
          'DOCKET_MALFORMED_JSON',
          `the body is not valid JSON: ${(cause as Error).message}`,
        ),
        undefined,
      );
      return;
    }
    done(null, parsed);
  });
}

import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Job } from './job.js';

const tracer = trace.getTracer('docket');

/**
 * The caller's trace context as JSON (W3C `traceparent`/`tracestate`), to be
 * stored on the job; null when there is no active trace or no OpenTelemetry
 * SDK is registered (then the API is a no-op and this costs next to nothing).
 */
export function captureTraceContext(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return Object.keys(carrier).length > 0 ? JSON.stringify(carrier) : null;
}

/**
 * Runs one attempt inside a CONSUMER span that continues the enqueuer's
 * trace, so a request's trace shows the background work it caused.
 */
export function runInJobSpan<T>(job: Job, run: () => Promise<T>): Promise<T> {
  const parent = job.traceContext
    ? propagation.extract(context.active(), job.traceContext)
    : context.active();
  return tracer.startActiveSpan(
    `docket.run ${job.task}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'docket',
        'messaging.destination.name': job.queue,
        'messaging.message.id': job.id,
        'docket.task': job.task,
        'docket.attempt': job.attempt,
      },
    },
    parent,
    async (span) => {
      try {
        const result = await run();
        span.setStatus({ code: SpanStatusCode.OK });
        return result;
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

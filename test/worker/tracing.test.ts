// OpenTelemetry: enqueue stores the caller's trace context on the job and the
// worker continues that trace around the run. A minimal in-memory tracer,
// propagator and context manager stand in for an SDK.
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { after, it } from 'node:test';
import {
  type Context,
  type ContextManager,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  type SpanOptions,
  type TextMapPropagator,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { defineTask } from '../../src/index.js';
import { tempDocket } from '../helpers/docket.js';

class StorageContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    return this;
  }
}

interface Recorded {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  ended: boolean;
}
const spans: Recorded[] = [];

function makeSpan(name: string, parent: SpanContext | undefined): Span {
  const spanContext: SpanContext = {
    traceId: parent?.traceId ?? randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    traceFlags: 1,
  };
  const recorded: Recorded = {
    name,
    traceId: spanContext.traceId,
    spanId: spanContext.spanId,
    parentSpanId: parent?.spanId,
    ended: false,
  };
  spans.push(recorded);
  const span = trace.wrapSpanContext(spanContext);
  return Object.assign(Object.create(span), {
    end: () => {
      recorded.ended = true;
    },
    setStatus: () => span,
    recordException: () => {},
    isRecording: () => true,
  }) as Span;
}

const tracer: Tracer = {
  startSpan(name: string, _options?: SpanOptions, ctx: Context = context.active()) {
    return makeSpan(name, trace.getSpanContext(ctx));
  },
  startActiveSpan(name: string, ...rest: unknown[]) {
    const fn = rest.pop() as (span: Span) => unknown;
    const ctx = (rest[1] as Context | undefined) ?? context.active();
    const span = makeSpan(name, trace.getSpanContext(ctx));
    return context.with(trace.setSpan(ctx, span), () => fn(span));
  },
} as Tracer;

const propagator: TextMapPropagator = {
  inject(ctx, carrier: Record<string, string>) {
    const span = trace.getSpanContext(ctx);
    if (span) carrier.traceparent = `00-${span.traceId}-${span.spanId}-01`;
  },
  extract(ctx, carrier: Record<string, string>) {
    const match = /^00-(\w{32})-(\w{16})-\d\d$/.exec(carrier.traceparent ?? '');
    return match
      ? trace.setSpanContext(ctx, { traceId: match[1]!, spanId: match[2]!, traceFlags: 1, isRemote: true })
      : ctx;
  },
  fields: () => ['traceparent'],
};

context.setGlobalContextManager(new StorageContextManager());
trace.setGlobalTracerProvider({ getTracer: () => tracer });
propagation.setGlobalPropagator(propagator);
after(() => {
  trace.disable();
  propagation.disable();
  context.disable();
});

it('continues the enqueuer’s trace around the run', async () => {
  let activeInHandler: SpanContext | undefined;
  const traced = defineTask({
    name: 'traced',
    run: () => {
      activeInHandler = trace.getSpanContext(context.active());
    },
  });
  const made = await tempDocket({ tasks: [traced] });
  try {
    const { docket } = made;
    docket.startWorker();
    const request = tracer.startSpan('POST /signup');
    const job = await context.with(trace.setSpan(context.active(), request), () =>
      docket.enqueue(traced, {}),
    );
    request.end();
    const requestSpan = spans.find((s) => s.name === 'POST /signup')!;
    assert.deepEqual(job.traceContext, { traceparent: `00-${requestSpan.traceId}-${requestSpan.spanId}-01` });
    await docket.waitFor(job.id);
    const run = spans.find((s) => s.name === 'docket.run traced');
    assert.ok(run, 'a span around the run');
    assert.equal(run.traceId, requestSpan.traceId);
    assert.equal(run.parentSpanId, requestSpan.spanId);
    assert.equal(run.ended, true);
    assert.equal(activeInHandler?.spanId, run.spanId, 'the handler runs inside the span');
    const untraced = await docket.enqueue(traced, {});
    assert.equal(untraced.traceContext, null, 'no active trace, nothing stored');
  } finally {
    await made.cleanup();
  }
});

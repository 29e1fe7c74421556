// latency: a producer process adds jobs at a steady rate; the worker, in another process, records enqueue→start.
import type { RoleContext } from '../lib/child.ts';
import type { Sizes } from '../lib/config.ts';
import { Child } from '../lib/spawn.ts';
import { median, nowMs, peakRssMiB, percentile, sleep } from '../lib/stats.ts';
import type { Handler, Namespace, Producer, Sample, SystemInfo } from '../lib/types.ts';

export const LATENCY_CONCURRENCY = 10;
/** Payloads numbered from here are the idle-queue probes. */
const IDLE_BASE = 1_000_000;

export function latencyParams(sizes: Sizes) {
  return {
    rate: sizes.latencyRate,
    seconds: sizes.latencySeconds,
    idleProbes: sizes.idleProbes,
    idlePauseMs: sizes.idlePauseMs,
    concurrency: LATENCY_CONCURRENCY,
  };
}

export async function run(system: SystemInfo, ns: Namespace, sizes: Sizes): Promise<Partial<Sample>> {
  const params = latencyParams(sizes);
  const worker = new Child({ system: system.name, role: 'latency:work', ns, params });
  try {
    await worker.next('ready', 60_000);
    const producer = new Child({ system: system.name, role: 'latency:produce', ns, params });
    try {
      const sent = await producer.result<{ paced: number; idle: number }>((sizes.latencySeconds + 60) * 1000);
      worker.send({ type: 'expect', data: sent });
      return await worker.result<Partial<Sample>>(30_000);
    } finally {
      producer.kill();
    }
  } finally {
    await Promise.race([worker.exit(), sleep(10_000)]);
    worker.kill();
  }
}

/** Collects enqueue→start times by kind, and resolves once the expected number arrived. */
export class LatencyRecorder {
  readonly paced: number[] = [];
  readonly idle: number[] = [];
  private expected: { paced: number; idle: number } | null = null;
  private wake: () => void = () => {};

  readonly handler: Handler = (payload) => {
    const latency = nowMs() - payload.t;
    if (payload.n < 0) return;
    (payload.n >= IDLE_BASE ? this.idle : this.paced).push(latency);
    if (this.complete()) this.wake();
  };

  private complete(): boolean {
    const e = this.expected;
    return e !== null && this.paced.length >= e.paced && this.idle.length >= e.idle;
  }

  /** Waits for every expected job (or the timeout), then summarises. */
  async summary(expected: { paced: number; idle: number }, timeoutMs: number): Promise<Partial<Sample>> {
    this.expected = expected;
    if (!this.complete()) {
      await Promise.race([new Promise<void>((resolve) => (this.wake = resolve)), sleep(timeoutMs)]);
    }
    // A job that never started counts as infinitely late, so the percentiles stay honest.
    const notStarted = Math.max(0, expected.paced - this.paced.length);
    const all = [...this.paced, ...Array<number>(notStarted).fill(Number.POSITIVE_INFINITY)];
    return {
      jobs: this.paced.length,
      p50: percentile(all, 50),
      p95: percentile(all, 95),
      p99: percentile(all, 99),
      max: Math.max(...all),
      idle: median(this.idle),
      rssMiB: peakRssMiB(),
      ...(notStarted > 0 ? { notStarted } : {}),
    };
  }
}

/** Adds `rate` jobs/s for `seconds` on a fixed schedule (not waiting for each), then the idle probes. */
export async function produce(producer: Producer, params: Record<string, unknown>) {
  const rate = params.rate as number;
  const total = rate * (params.seconds as number);
  for (let i = 0; i < 20; i++) await producer.add({ n: -1, t: nowMs() }); // warm-up
  await sleep(300);
  const start = nowMs();
  const pending: Promise<void>[] = [];
  for (let n = 0; n < total; n++) {
    const due = start + (n * 1000) / rate;
    const wait = due - nowMs();
    if (wait > 0) await sleep(wait);
    pending.push(producer.add({ n, t: nowMs() }));
  }
  await Promise.all(pending);
  const idleProbes = params.idleProbes as number;
  for (let k = 0; k < idleProbes; k++) {
    await sleep(params.idlePauseMs as number);
    await producer.add({ n: IDLE_BASE + k, t: nowMs() });
  }
  return { paced: total, idle: idleProbes };
}

export const roles = {
  async work({ adapter, ns, params, tell, hear }: RoleContext): Promise<Partial<Sample>> {
    const recorder = new LatencyRecorder();
    const consumer = await adapter.startConsumer(ns, {
      concurrency: params.concurrency as number,
      handler: recorder.handler,
    });
    await sleep(500); // let it settle into its idle wait
    tell('ready');
    const expected = (await hear('expect')).data as { paced: number; idle: number };
    const summary = await recorder.summary(expected, 5000);
    await consumer.close();
    return summary;
  },

  async produce({ adapter, ns, params }: RoleContext) {
    const producer = await adapter.openProducer(ns);
    const sent = await produce(producer, params);
    await producer.close();
    return sent;
  },
};

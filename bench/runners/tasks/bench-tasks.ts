// Tasks for bench/runners: a no-op and a 20 ms CPU job in each isolation mode, and a probe.

import type { Isolation } from '../../../src/index.js';
import { defineTask } from '../../../src/index.js';

/** Spins the CPU for `ms`: work that no await can interrupt. */
export function burn(ms: number): number {
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) n++;
  return n;
}

const make = (isolation: Isolation) => ({
  noop: defineTask({ name: `noop-${isolation}`, isolation, run: () => null }),
  cpu: defineTask<{ ms?: number }, number>({
    name: `cpu-${isolation}`,
    isolation,
    queue: 'cpu',
    run: (input) => burn(input.ms ?? 20),
  }),
});
const inline = make('inline');
const thread = make('thread');
const processes = make('process');

export const [noopInline, cpuInline] = [inline.noop, inline.cpu];
export const [noopThread, cpuThread] = [thread.noop, thread.cpu];
export const [noopProcess, cpuProcess] = [processes.noop, processes.cpu];

/** An inline no-op on its own queue: how fast is it claimed while CPU jobs run? */
export const probe = defineTask({ name: 'probe', queue: 'probe', run: () => null });

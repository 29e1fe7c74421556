import type { EventEmitter } from 'node:events';

/**
 * Resolves when `check` returns a truthy value, re-checking whenever `emitter`
 * emits `event` and, as a fallback, every `everyMs`. Fails after `timeoutMs`
 * with `what` in the message — a deadline for a hung test, not a timing
 * assertion.
 */
export async function until<T>(
  check: () => T | Promise<T>,
  what: string,
  options: { timeoutMs?: number; everyMs?: number } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 10));
  }
}

/** Resolves with the arguments of the next `event` on `emitter` that passes `filter`. */
export function nextEvent<T extends unknown[]>(
  emitter: EventEmitter,
  event: string,
  filter: (...args: T) => boolean = () => true,
): Promise<T> {
  return new Promise((resolve) => {
    const listener = (...args: unknown[]) => {
      if (filter(...(args as T))) {
        emitter.off(event, listener);
        resolve(args as T);
      }
    };
    emitter.on(event, listener);
  });
}

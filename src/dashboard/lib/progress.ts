/** A job's progress as a fraction, when it has a shape we can read. */
export interface ProgressReading {
  /** 0–1. */
  fraction: number;
  /** What to show next to the bar, e.g. `3 / 10` or `42 %`. */
  label: string;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

const clamp = (n: number) => Math.min(1, Math.max(0, n));

/**
 * Reads `ctx.progress(…)` values that mean "how far": a number (0–100,
 * or 0–1 when fractional), `{ percent }`, or a done/total pair
 * (`{ current|done|step|completed, total|steps|of }`). Anything else is
 * shown as JSON instead of a bar.
 */
export function readProgress(progress: unknown): ProgressReading | null {
  const n = num(progress);
  if (n !== null) {
    const percent = n <= 1 && !Number.isInteger(n) ? n * 100 : n;
    return { fraction: clamp(percent / 100), label: `${Math.round(percent)} %` };
  }
  if (typeof progress !== 'object' || progress === null) return null;
  const p = progress as Record<string, unknown>;
  const percent = num(p.percent) ?? num(p.pct);
  if (percent !== null) return { fraction: clamp(percent / 100), label: `${Math.round(percent)} %` };
  const done = num(p.current) ?? num(p.done) ?? num(p.step) ?? num(p.completed);
  const total = num(p.total) ?? num(p.steps) ?? num(p.of);
  if (done !== null && total !== null && total > 0) {
    return { fraction: clamp(done / total), label: `${done} / ${total}` };
  }
  return null;
}

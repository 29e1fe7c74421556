import { DocketError } from './errors.js';

/** A length of time: milliseconds as a number, or a string such as `'500ms'`, `'30s'`, `'5m'`, `'2h'`, `'1d'`. */
export type Duration = number | string;

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/;

/**
 * Converts a Duration to milliseconds. Throws DOCKET_INVALID_ARGUMENT naming
 * `field` when the value is negative, not finite, or not understood.
 */
export function toMs(value: Duration, field = 'duration'): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) {
      throw new DocketError('DOCKET_INVALID_ARGUMENT', `${field} must be a non-negative number of ms`, {
        details: { field, value },
      });
    }
    return Math.round(value);
  }
  const match = PATTERN.exec(value);
  if (!match) {
    throw new DocketError(
      'DOCKET_INVALID_ARGUMENT',
      `${field} "${value}" is not a duration; use e.g. 500ms, 30s, 5m, 2h, 1d`,
      { details: { field, value } },
    );
  }
  return Math.round(Number(match[1]) * UNITS[match[2]!]!);
}

/** Formats milliseconds for people: `850ms`, `12.5s`, `3m 20s`, `2h 5m`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '∞';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)}m ${Math.round((ms % 60_000) / 1000)}s`;
  return `${Math.floor(ms / 3_600_000)}h ${Math.round((ms % 3_600_000) / 60_000)}m`;
}

// Medians with min–max per system and scenario, and the ratios between them.

import { median } from '../lib/stats.ts';
import type { Sample, ScenarioName } from '../lib/types.ts';

export type Metric = 'rate' | 'p50' | 'p95' | 'p99' | 'max' | 'idle' | 'rssMiB';

export interface Cell {
  median: number;
  min: number;
  max: number;
  n: number;
  capped: boolean;
  errors: string[];
}

export class Summary {
  constructor(private readonly samples: Sample[]) {}

  cell(system: string, scenario: ScenarioName, metric: Metric): Cell | null {
    const mine = this.samples.filter((s) => s.system === system && s.scenario === scenario);
    // JSON turns the infinite latency of never-started jobs into null; read it back as infinite.
    const read = (s: Sample): number | undefined =>
      typeof s[metric] === 'number'
        ? (s[metric] as number)
        : s.notStarted
          ? Number.POSITIVE_INFINITY
          : undefined;
    const ok = mine.filter((s) => {
      const v = read(s);
      return !s.error && v !== undefined && !Number.isNaN(v);
    });
    const errors = mine.filter((s) => s.error).map((s) => s.error!);
    if (ok.length === 0)
      return errors.length ? { median: Number.NaN, min: 0, max: 0, n: 0, capped: false, errors } : null;
    const values = ok.map((s) => read(s)!);
    return {
      median: median(values),
      min: Math.min(...values),
      max: Math.max(...values),
      n: values.length,
      capped: metric === 'rate' && ok.some((s) => s.capped),
      errors,
    };
  }

  value(system: string, scenario: ScenarioName, metric: Metric): number {
    return this.cell(system, scenario, metric)?.median ?? Number.NaN;
  }

  /** a ÷ b of the medians (for rates: how many times faster a is). */
  ratio(a: string, b: string, scenario: ScenarioName, metric: Metric = 'rate'): number {
    return this.value(a, scenario, metric) / this.value(b, scenario, metric);
  }
}

// The bench runner: fresh processes and storage per run, rounds interleaved (A B C A B C …), then the report.
// Usage: node --import tsx run.ts [--quick] [--rounds N] [--only sys,…] [--scenarios sc,…] [--cpu-prof]
//        node --import tsx run.ts --report results/run-….json   (write the report again from stored results)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FULL, QUICK, SCENARIOS, type Sizes, SYSTEMS } from './lib/config.ts';
import { machineInfo, snapshot } from './lib/machine.ts';
import { createNamespace, dropNamespace, newNamespace, RESULTS_DIR } from './lib/namespace.ts';
import { runChild } from './lib/spawn.ts';
import type { Sample, ScenarioName, SystemInfo } from './lib/types.ts';
import { type RunRecord, writeReport } from './report/write-report.ts';
import * as drain from './scenarios/drain.ts';
import * as enqueueBulk from './scenarios/enqueue-bulk.ts';
import * as enqueueSingle from './scenarios/enqueue-single.ts';
import * as latency from './scenarios/latency.ts';
import * as latencyInproc from './scenarios/latency-inproc.ts';

const ROOT = join(import.meta.dirname, '..');

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    only: { type: 'string' },
    scenarios: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    report: { type: 'string' },
  },
});

function runScenario(
  scenario: ScenarioName,
  system: SystemInfo,
  ns: ReturnType<typeof newNamespace>,
  sizes: Sizes,
  round: number,
) {
  switch (scenario) {
    case 'enqueue-single':
      return enqueueSingle.run(system, ns, sizes);
    case 'enqueue-bulk':
      return enqueueBulk.run(system, ns, sizes);
    case 'drain-10':
    case 'drain-100': {
      const concurrency = scenario === 'drain-10' ? 10 : 100;
      const profile = args['cpu-prof'] && system.kind === 'docket';
      const cpuProfile = profile ? `${system.name}-${scenario}-r${round}.cpuprofile` : undefined;
      return drain.run(system, ns, sizes, { concurrency, ...(cpuProfile ? { cpuProfile } : {}) });
    }
    case 'latency':
      return latency.run(system, ns, sizes);
    case 'latency-inproc':
      return latencyInproc.run(system, ns, sizes);
  }
}

/** Opens each system once on fresh storage; a system that cannot open is reported, not measured. */
async function probe(system: SystemInfo): Promise<string | null> {
  const ns = newNamespace(`${system.name}-probe`);
  try {
    await createNamespace(ns, system.store);
    await runChild({ system: system.name, role: 'probe:open', ns, params: {} }, 60_000);
    return null;
  } catch (error) {
    return (error as Error).message.split('\n')[0]!.slice(0, 300);
  } finally {
    await dropNamespace(ns, system.store).catch(() => {});
  }
}

function fmt(sample: Sample): string {
  if (sample.error) return `ERROR ${sample.error}`;
  if (sample.p50 !== undefined) {
    return `p50 ${sample.p50.toFixed(2)} ms p99 ${sample.p99!.toFixed(2)} ms idle ${sample.idle!.toFixed(1)} ms rss ${sample.rssMiB!.toFixed(0)} MiB`;
  }
  const rss = sample.rssMiB ? ` rss ${sample.rssMiB.toFixed(0)} MiB` : '';
  return `${Math.round(sample.rate!)} jobs/s${sample.capped ? ' (capped)' : ''}${rss}`;
}

async function main(): Promise<void> {
  if (args.report) {
    const record = JSON.parse(readFileSync(args.report, 'utf8')) as RunRecord;
    writeReport(record, outputsFor(record.full));
    return;
  }
  const sizes = { ...(args.quick ? QUICK : FULL) };
  if (args.rounds) sizes.rounds = Number(args.rounds);
  const only = args.only?.split(',');
  const systems = only ? SYSTEMS.filter((s) => only.includes(s.name)) : SYSTEMS;
  const scenarios =
    (args.scenarios?.split(',') as ScenarioName[] | undefined) ??
    (args.quick ? SCENARIOS.filter((s) => s !== 'drain-10') : SCENARIOS);
  const full = !args.quick && !only && !args.scenarios && sizes.rounds >= 3;

  const before = snapshot();
  console.log(`load before: ${before.load.join(' ')}; sizes ${JSON.stringify(sizes)}`);
  const machine = await machineInfo();
  const unavailable: Record<string, string> = {};
  const reasons = await Promise.all(systems.map((system) => probe(system)));
  systems.forEach((system, i) => {
    const reason = reasons[i];
    if (!reason) return;
    unavailable[system.name] = reason;
    console.log(`${system.name}: not available in this run: ${reason}`);
  });

  const samples: Sample[] = [];
  const started = Date.now();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  mkdirSync(RESULTS_DIR, { recursive: true });
  const resultsFile = join(RESULTS_DIR, `run-${stamp}.json`);
  const record: RunRecord = {
    full,
    quick: args.quick ?? false,
    sizes,
    machine,
    before,
    after: before,
    unavailable,
    systems: systems.map((s) => s.name),
    scenarios,
    samples,
    seconds: 0,
    cpuProfiles: args['cpu-prof'] ?? false,
  };
  for (let round = 1; round <= sizes.rounds; round++) {
    for (const scenario of scenarios) {
      for (const system of systems) {
        if (unavailable[system.name] || !system.scenarios.includes(scenario)) continue;
        const ns = newNamespace(`${system.name}-${scenario}`);
        let sample: Sample;
        try {
          await createNamespace(ns, system.store);
          const measured = await runScenario(scenario, system, ns, sizes, round);
          sample = { ...measured, system: system.name, scenario, round };
        } catch (error) {
          sample = { system: system.name, scenario, round, error: (error as Error).message.slice(0, 300) };
        } finally {
          await dropNamespace(ns, system.store).catch((error) => console.error('cleanup failed', error));
        }
        samples.push(sample);
        console.log(`r${round} ${scenario.padEnd(15)} ${system.name.padEnd(19)} ${fmt(sample)}`);
        record.seconds = (Date.now() - started) / 1000;
        writeFileSync(resultsFile, JSON.stringify(record, null, 2));
      }
    }
  }
  record.after = snapshot();
  record.seconds = (Date.now() - started) / 1000;
  writeFileSync(resultsFile, JSON.stringify(record, null, 2));
  console.log(
    `load after: ${record.after.load.join(' ')}; ${Math.round(record.seconds)} s; results in ${resultsFile}`,
  );
  writeReport(record, outputsFor(full));
}

function outputsFor(full: boolean) {
  if (full) {
    return { markdown: join(ROOT, 'BENCHMARKS.md'), chart: join(ROOT, 'docs', 'images', 'bench-ratios.svg') };
  }
  const dir = join(RESULTS_DIR, 'latest');
  return { markdown: join(dir, 'BENCHMARKS.md'), chart: join(dir, 'bench-ratios.svg') };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

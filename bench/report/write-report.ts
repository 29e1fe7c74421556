// Writes BENCHMARKS.md and the ratio chart from one run's samples.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { type Sizes, SYSTEMS } from '../lib/config.ts';
import type { MachineInfo, Snapshot } from '../lib/machine.ts';
import { PROFILE_DIR } from '../lib/spawn.ts';
import type { Sample, ScenarioName } from '../lib/types.ts';
import { type Bar, ratioChart } from './chart.ts';
import { profileMarkdown, summariseProfile } from './profile.ts';
import { type Cell, type Metric, Summary } from './summary.ts';

export interface RunRecord {
  full: boolean;
  quick: boolean;
  sizes: Sizes;
  machine: MachineInfo;
  before: Snapshot;
  after: Snapshot;
  unavailable: Record<string, string>;
  systems: string[];
  scenarios: ScenarioName[];
  samples: Sample[];
  seconds: number;
  cpuProfiles: boolean;
}

const label = (name: string) => SYSTEMS.find((s) => s.name === name)?.label ?? name;

function num(value: number, digits = 0): string {
  if (value === Number.POSITIVE_INFINITY) return '∞';
  if (!Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** "median (min–max)" with a dagger when a time cap stopped a run. */
function cellText(cell: Cell | null, digits = 0, rounds = 1): string {
  if (!cell) return '';
  if (cell.n === 0) return `error: ${cell.errors[0]?.slice(0, 80)}`;
  const range = cell.n > 1 ? ` (${num(cell.min, digits)}–${num(cell.max, digits)})` : '';
  const missing = cell.n < rounds ? ` [${cell.n}/${rounds} rounds]` : '';
  return `${num(cell.median, digits)}${range}${cell.capped ? ' †' : ''}${missing}`;
}

function ratioText(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return `${value >= 10 ? value.toFixed(1) : value >= 0.1 ? value.toFixed(2) : value.toPrecision(2)}×`;
}

interface Target {
  goal: string;
  measured: string;
  met: boolean | null;
}

function targets(s: Summary): Target[] {
  const rows: Target[] = [];
  const add = (goal: string, value: number, measured: string, test: (v: number) => boolean) =>
    rows.push({ goal, measured, met: Number.isFinite(value) ? test(value) : null });
  for (const scenario of ['drain-100', 'drain-10'] as const) {
    const c = scenario === 'drain-100' ? 100 : 10;
    const g = s.ratio('docket-pg', 'graphile-worker', scenario);
    add(`drain c=${c}: Docket-PostgreSQL ≥ 1.5× graphile-worker`, g, ratioText(g), (v) => v >= 1.5);
    const b = s.ratio('docket-pg', 'bullmq', scenario);
    add(`drain c=${c}: Docket-PostgreSQL ≥ 2× BullMQ`, b, ratioText(b), (v) => v >= 2);
  }
  const sq = s.value('docket-sqlite', 'drain-100', 'rate');
  add('drain c=100: Docket-SQLite ≥ 100,000 jobs/s', sq, `${num(sq)} jobs/s`, (v) => v >= 100_000);
  for (const [docket, raw, name] of [
    ['docket-sqlite', 'raw-sqlite', 'SQLite'],
    ['docket-pg', 'raw-pg', 'PostgreSQL'],
  ] as const) {
    const bulk = s.ratio(docket, raw, 'enqueue-bulk');
    add(`enqueue-bulk: Docket-${name} ≥ 70 % of raw ${name}`, bulk, `${num(bulk * 100)} %`, (v) => v >= 0.7);
    const drain = s.ratio(docket, raw, 'drain-100');
    add(`drain c=100: Docket-${name} ≥ 50 % of raw ${name}`, drain, `${num(drain * 100)} %`, (v) => v >= 0.5);
  }
  const full = s.ratio('docket-sqlite-full', 'raw-sqlite-full', 'enqueue-bulk');
  add(
    'enqueue-bulk: Docket-SQLite full ≥ 70 % of raw SQLite full',
    full,
    `${num(full * 100)} %`,
    (v) => v >= 0.7,
  );
  for (const peer of ['graphile-worker', 'pg-boss']) {
    const r = s.ratio('docket-pg', peer, 'enqueue-single');
    add(`enqueue-single: Docket-PostgreSQL ≥ ${label(peer)}`, r, ratioText(r), (v) => v >= 1);
  }
  const single = s.ratio('docket-sqlite', 'bullmq', 'enqueue-single');
  add('enqueue-single: Docket-SQLite ≥ 2× BullMQ', single, ratioText(single), (v) => v >= 2);
  const pgP50 = s.value('docket-pg', 'latency', 'p50');
  const pgP99 = s.value('docket-pg', 'latency', 'p99');
  add(
    'latency across processes: Docket-PostgreSQL p50 ≤ 1.5 ms',
    pgP50,
    `${num(pgP50, 2)} ms`,
    (v) => v <= 1.5,
  );
  add('latency across processes: Docket-PostgreSQL p99 ≤ 5 ms', pgP99, `${num(pgP99, 2)} ms`, (v) => v <= 5);
  const sqP50 = s.value('docket-sqlite', 'latency', 'p50');
  add('latency across processes: Docket-SQLite p50 ≤ 2 ms', sqP50, `${num(sqP50, 2)} ms`, (v) => v <= 2);
  for (const [docket, name] of [
    ['docket-sqlite', 'SQLite'],
    ['docket-pg', 'PostgreSQL'],
  ] as const) {
    const v = s.value(docket, 'latency-inproc', 'p50');
    add(`latency in the same process: Docket-${name} p50 ≤ 1 ms`, v, `${num(v, 2)} ms`, (x) => x <= 1);
  }
  const peers = ['bullmq', 'graphile-worker', 'pg-boss'];
  const peerRss = peers.map((p) => s.value(p, 'drain-100', 'rssMiB')).filter(Number.isFinite);
  const smallest = Math.min(...peerRss);
  for (const [docket, name] of [
    ['docket-sqlite', 'SQLite'],
    ['docket-pg', 'PostgreSQL'],
  ] as const) {
    const rss = s.value(docket, 'drain-100', 'rssMiB');
    add(
      `worker peak RSS in drain c=100: Docket-${name} ≤ the smallest peer's`,
      rss,
      `${num(rss)} MiB vs ${num(smallest)} MiB`,
      (v) => v <= smallest,
    );
  }
  return rows;
}

const THROUGHPUT: [ScenarioName, string][] = [
  ['enqueue-single', 'enqueue-single'],
  ['enqueue-bulk', 'enqueue-bulk'],
  ['drain-10', 'drain c=10'],
  ['drain-100', 'drain c=100'],
];

const PAIRS: [string, string][] = [
  ['docket-pg', 'graphile-worker'],
  ['docket-pg', 'bullmq'],
  ['docket-pg', 'pg-boss'],
  ['docket-pg', 'raw-pg'],
  ['docket-sqlite', 'bullmq'],
  ['docket-sqlite', 'graphile-worker'],
  ['docket-sqlite', 'pg-boss'],
  ['docket-sqlite', 'raw-sqlite'],
  ['docket-sqlite-full', 'raw-sqlite-full'],
  ['docket-sqlite-full', 'bullmq'],
];

function chartBars(s: Summary): Bar[] {
  const bars: Bar[] = [];
  for (const [scenario, title] of [...THROUGHPUT].reverse()) {
    for (const [a, b] of PAIRS) {
      if (a === 'docket-sqlite-full' && b === 'bullmq' && scenario !== 'enqueue-single') continue;
      bars.push({
        group: `${title} (jobs/s ratio)`,
        label: `${label(a)} ÷ ${label(b)}`,
        ratio: s.ratio(a, b, scenario),
      });
    }
  }
  for (const docket of ['docket-pg', 'docket-sqlite']) {
    for (const peer of ['bullmq', 'graphile-worker', 'pg-boss']) {
      bars.push({
        group: 'latency p50 across processes (peer ÷ Docket: above 1, Docket starts jobs sooner)',
        label: `${label(peer)} ÷ ${label(docket)}`,
        ratio: s.value(peer, 'latency', 'p50') / s.value(docket, 'latency', 'p50'),
      });
    }
  }
  return bars;
}

export function writeReport(record: RunRecord, out: { markdown: string; chart: string }): void {
  const s = new Summary(record.samples);
  const rounds = record.sizes.rounds;
  const systems = SYSTEMS.filter((sys) => record.systems.includes(sys.name));
  const z = record.sizes;
  const md: string[] = [];
  const when = record.before.at.slice(0, 16).replace('T', ' ');
  md.push('# Benchmarks', '');
  md.push(
    `Docket and its peers, side by side on one machine in one run (${when} UTC, ${Math.round(record.seconds / 60)} min` +
      `${record.quick ? ', **quick mode: small sizes, not for comparison**' : ''}). ` +
      'Written by `npm run bench` (bench/run.ts); do not edit by hand. `npm run bench:quick` checks the suite in under 3 minutes.',
    '',
  );
  md.push(
    `Every number is the **median of ${rounds} interleaved round${rounds > 1 ? 's' : ''}** (each round runs every scenario on every system, A B C A B C …), ` +
      'with min–max in brackets. Each system and scenario runs in fresh child processes on fresh storage (its own PostgreSQL database, SQLite file or Redis key prefix, removed afterwards). ' +
      '† = a time cap stopped the run before every job was done; the rate is that of the jobs done.',
    '',
  );

  const ran = THROUGHPUT.filter(([sc]) => record.scenarios.includes(sc));
  md.push('## Throughput (jobs/s, higher is better)', '');
  md.push(`| system | ${ran.map(([, t]) => t).join(' | ')} | worker peak RSS, drain c=100 (MiB) |`);
  md.push(`| --- | ${ran.map(() => '---:').join(' | ')} | ---: |`);
  for (const sys of systems) {
    if (record.unavailable[sys.name]) {
      md.push(`| ${sys.label} | not available in this run: ${record.unavailable[sys.name]} |`);
      continue;
    }
    const cells = ran.map(([sc]) =>
      sys.scenarios.includes(sc) ? cellText(s.cell(sys.name, sc, 'rate'), 0, rounds) : 'n/a',
    );
    md.push(
      `| ${sys.label} | ${cells.join(' | ')} | ${cellText(s.cell(sys.name, 'drain-100', 'rssMiB'), 0, rounds)} |`,
    );
  }
  md.push('');

  md.push(`## Latency, enqueue → start (ms, lower is better)`, '');
  md.push(
    `A producer process adds ${z.latencyRate} jobs/s for ${z.latencySeconds} s on a fixed schedule (not waiting for each add); ` +
      `the worker (concurrency 10) runs in another process and records, for each job, the time from just before the add call to the handler's start (CLOCK_MONOTONIC, shared by the processes). ` +
      `"idle" is the median of ${z.idleProbes} single jobs, each added after ${z.idlePauseMs} ms of quiet. ` +
      '"same process": producer and worker share one Docket instance.',
    '',
  );
  const latMetrics: [Metric, string][] = [
    ['p50', 'p50'],
    ['p95', 'p95'],
    ['p99', 'p99'],
    ['max', 'max'],
    ['idle', 'idle queue'],
    ['rssMiB', 'worker peak RSS (MiB)'],
  ];
  md.push(`| system | ${latMetrics.map(([, t]) => t).join(' | ')} |`);
  md.push(`| --- | ${latMetrics.map(() => '---:').join(' | ')} |`);
  for (const sys of systems) {
    for (const scenario of ['latency', 'latency-inproc'] as const) {
      if (!sys.scenarios.includes(scenario) || !record.scenarios.includes(scenario)) continue;
      if (record.unavailable[sys.name]) continue;
      const name = scenario === 'latency' ? sys.label : `${sys.label} · same process`;
      const cells = latMetrics.map(([m]) =>
        cellText(s.cell(sys.name, scenario, m), m === 'rssMiB' ? 0 : 2, rounds),
      );
      md.push(`| ${name} | ${cells.join(' | ')} |`);
    }
  }
  md.push('');
  const late = record.samples.filter((x) => x.notStarted);
  if (late.length > 0) {
    md.push(
      '∞: jobs that had not started 5 s after the last add count as infinitely late. ' +
        late
          .map(
            (x) =>
              `${label(x.system)} round ${x.round}: ${x.notStarted} of ${x.jobs! + x.notStarted!} not started`,
          )
          .join('; ') +
        '. (pg-boss at concurrency 10 fetches 10 jobs per 0.5 s poll: at most 20 jobs/s, below the 100 jobs/s offered.)',
      '',
    );
  }

  md.push('## Ratios (of medians)', '');
  md.push('Docket ÷ the other system, jobs/s: above 1× Docket is faster.', '');
  md.push(`| Docket ÷ | ${ran.map(([, t]) => t).join(' | ')} |`);
  md.push(`| --- | ${ran.map(() => '---:').join(' | ')} |`);
  for (const [a, b] of PAIRS) {
    if (!record.systems.includes(a) || !record.systems.includes(b)) continue;
    md.push(`| ${label(a)} ÷ ${label(b)} | ${ran.map(([sc]) => ratioText(s.ratio(a, b, sc))).join(' | ')} |`);
  }
  md.push('');
  md.push('Latency p50, the other system ÷ Docket: above 1× Docket starts jobs sooner.', '');
  md.push('| | BullMQ | graphile-worker | pg-boss |', '| --- | ---: | ---: | ---: |');
  for (const docket of ['docket-pg', 'docket-sqlite']) {
    const cells = ['bullmq', 'graphile-worker', 'pg-boss'].map((p) =>
      ratioText(s.value(p, 'latency', 'p50') / s.value(docket, 'latency', 'p50')),
    );
    md.push(`| ${label(docket)} | ${cells.join(' | ')} |`);
  }
  md.push('');
  mkdirSync(dirname(out.chart), { recursive: true });
  writeFileSync(out.chart, ratioChart('Docket ÷ peers and raw ceilings (medians)', chartBars(s)));
  md.push(
    `![Docket's ratios to its peers and to the raw ceilings](${relative(dirname(out.markdown), out.chart)})`,
    '',
  );

  md.push("## The issue's targets (#10)", '');
  md.push('| target | measured | |', '| --- | ---: | --- |');
  for (const t of targets(s))
    md.push(
      `| ${t.goal} | ${t.measured} | ${t.met === null ? 'not measured' : t.met ? 'met' : '**not met**'} |`,
    );
  md.push(
    '',
    'Why the targets not met are not — what the profiles and measurements show, what the limit is, and how close Docket comes — with the commands behind each figure: [docs/performance.md](docs/performance.md).',
    '',
  );

  md.push('## Machine and load', '');
  const m = record.machine;
  md.push(`- ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB memory, ${m.os}`);
  md.push(
    `- load average (1, 5, 15 min): **${record.before.load.join(', ')}** before, **${record.after.load.join(', ')}** after. ` +
      'The machine is shared: other developers’ builds and tests may have run at the same time (busiest processes below); interleaving spreads that drift over every system alike, and the min–max ranges show it.',
  );
  md.push(`- busiest processes at the start: ${record.before.busiest.map((b) => `\`${b}\``).join('; ')}`);
  md.push(`- busiest processes at the end: ${record.after.busiest.map((b) => `\`${b}\``).join('; ')}`);
  md.push(
    `- Docket at ${m.docketCommit}, imported from its build (\`dist/\`, as the package ships), the peers from node_modules`,
  );
  md.push('');
  md.push('| component | version |', '| --- | --- |');
  for (const [name, version] of Object.entries(m.versions)) md.push(`| ${name} | ${version} |`);
  md.push('');

  md.push('## Durability and settings', '');
  md.push(
    'Durability as it stands on this machine: ' +
      Object.entries(m.durability)
        .map(([k, v]) => `${k} = \`${v}\``)
        .join(', ') +
      '. PostgreSQL runs with its defaults: every commit waits for its WAL flush. ' +
      'Redis as installed here (no AOF unless `appendonly` says yes): BullMQ acknowledges adds before anything reaches the disk, so its rows are not durable in the sense the SQL rows are.',
    '',
  );
  for (const sys of systems) {
    md.push(
      `- **${sys.label}**${record.unavailable[sys.name] ? ` — not available in this run: ${record.unavailable[sys.name]}` : ''}`,
    );
    for (const setting of sys.settings) md.push(`  - ${setting}`);
  }
  md.push('');

  md.push('## Method', '');
  md.push(
    `- **enqueue-single**: ${num(z.singleJobs)} awaited adds one after another from one process (after 50 untimed warm-up adds); stops at ${z.singleCapSeconds} s if not done (†).`,
    `- **enqueue-bulk**: ${num(z.bulkJobs)} jobs in calls of ${num(z.bulkBatch)} (after one untimed warm-up call).`,
    `- **drain**: ${num(z.drainJobs)} no-op jobs are queued by one process (bulk, untimed); then one worker process at concurrency 10 or 100 runs them. ` +
      `The rate is (jobs − 1) ÷ the time from the first handler start to the last, so connection and start-up costs are left out; the completion writes of the last batch (at most one batch) are not waited for. A drain stops at ${z.drainCapSeconds} s (†).`,
    '- **peak RSS**: `process.resourceUsage().maxRSS` of the worker process at the end of its run. Every process runs `node --import tsx` for the bench’s own TypeScript: the loader’s thread adds the same 34 MiB or so to each (measured: a bare `node` starts at 41 MiB RSS, `node --import tsx` at 75 MiB).',
    '- Raw ceilings have no leases, retries, results or state: they show what each store allows on this box, not a fair competitor.',
    '- pg-boss 12 and graphile-worker 0.18 need Node 22; this project is on Node 20, so the newest versions that run on Node 20 are measured (see versions).',
    "- Where the time goes: `npm --prefix bench run profile` records CPU profiles of Docket's drain worker and prints the top self-time functions (mapped to TypeScript lines); `npm --prefix bench run explain-pg` drains on a database with auto_explain on and prints the slowest statements with their EXPLAIN ANALYZE plans.",
    '- A system or scenario that failed in a round is shown with the rounds it has, e.g. [2/3 rounds]; the results JSON (bench/results/) keeps each error.',
    '',
  );

  if (record.cpuProfiles && existsSync(PROFILE_DIR)) {
    md.push("## Where Docket's worker spends its time (drain, `--cpu-prof`)", '');
    for (const sys of ['docket-sqlite', 'docket-pg']) {
      const file = join(PROFILE_DIR, `${sys}-drain-100-r1.cpuprofile`);
      if (existsSync(file))
        md.push(
          profileMarkdown(`${label(sys)}, drain c=100 (${basename(file)})`, summariseProfile(file), 12),
        );
    }
  }

  mkdirSync(dirname(out.markdown), { recursive: true });
  writeFileSync(out.markdown, `${md.join('\n')}\n`);
  console.log(`wrote ${out.markdown} and ${out.chart}`);
}

import type { ApiWorker } from '../../http-client/wire.js';

/** A time an inline job blocked a worker's event loop. */
export interface LoopBlock {
  blockedMs: number;
  tasks: string[];
  jobs: string[];
  at: number;
}

/** What a worker reports in its heartbeat `info`, read defensively (it is free-form). */
export interface WorkerFacts {
  running: number;
  runningJobs: string[];
  isolation: string[];
  loopDelayP99Ms: number | null;
  loopDelayMaxMs: number | null;
  loopBlocks: LoopBlock[];
  /** The supervisor this worker is a child of (`docket worker --processes N`). */
  supervisor: { id: string; pid: number | null; slot: number | null } | null;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

function block(value: unknown): LoopBlock | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const blockedMs = num(v.blockedMs);
  const at = num(v.at);
  if (blockedMs === null || at === null) return null;
  return { blockedMs, at, tasks: strings(v.tasks), jobs: strings(v.jobs) };
}

/** Reads a worker's info. */
export function factsOf(worker: ApiWorker): WorkerFacts {
  const info = worker.info;
  const supervisor = typeof info.supervisor === 'string' ? info.supervisor : null;
  return {
    running: num(info.running) ?? 0,
    runningJobs: strings(info.runningJobs),
    isolation: strings(info.isolation),
    loopDelayP99Ms: num(info.loopDelayP99Ms),
    loopDelayMaxMs: num(info.loopDelayMaxMs),
    loopBlocks: Array.isArray(info.loopBlocks)
      ? info.loopBlocks.map(block).filter((b): b is LoopBlock => b !== null)
      : [],
    supervisor:
      supervisor === null ? null : { id: supervisor, pid: num(info.supervisorPid), slot: num(info.slot) },
  };
}

/** Event-loop delay (p99) above this is worth a warning: leases renew late, claims stall. */
export const LOOP_WARN_MS = 100;

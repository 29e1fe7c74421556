import type { StandardSchemaV1 } from '@standard-schema/spec';
import { type Duration, toMs } from './duration.js';
import { DocketError } from './errors.js';

/** How long to wait before the next attempt. */
export type Backoff =
  | { type: 'fixed'; delay: Duration }
  | { type: 'exponential'; base: Duration; max?: Duration; jitter?: boolean }
  | ((attempt: number, error: unknown) => number);

/** How many attempts a job gets, and the wait between them. */
export interface RetryPolicy {
  /** Total attempts, the first included. Default 3. */
  attempts?: number;
  /** Default: exponential from 1s up to 10m with full jitter. */
  backoff?: Backoff;
}

/** Where a job's code runs. Only `inline` ships in the core; see docs/runners.md. */
export type Isolation = 'inline' | 'thread' | 'process';

/** The logger a handler writes to; its lines are kept on the job. */
export interface JobLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What a handler gets besides its input. */
export interface TaskContext {
  /** Aborted on timeout, cancel, lost lease and worker shutdown; `signal.reason` says which. */
  signal: AbortSignal;
  /** Records progress (any JSON: a number 0–100, or an object). Refused once the lease is lost. */
  progress(value: unknown): Promise<void>;
  /** Log lines kept on the job. */
  log: JobLogger;
  /** 1 for the first attempt. */
  attempt: number;
  jobId: string;
  queue: string;
  task: string;
}

/** The schema type a task accepts: any Standard Schema validator (zod, valibot, arktype…). */
export type InputSchema<Input> = StandardSchemaV1<unknown, Input>;

/** What `defineTask` takes. */
export interface TaskOptions<Input, Result> {
  /** Unique name; jobs refer to their task by it. */
  name: string;
  /** Validates input at enqueue, and again before the run. */
  input?: InputSchema<Input>;
  /** Default queue for this task's jobs. Default `'default'`. */
  queue?: string;
  retry?: RetryPolicy;
  /** Per-attempt timeout. Default: none. */
  timeout?: Duration;
  /** Default priority; higher runs first. Default 0. */
  priority?: number;
  isolation?: Isolation;
  /** The handler. Its return value (JSON) is stored as the job's result. */
  run(input: Input, ctx: TaskContext): Promise<Result> | Result;
}

/** A task definition, as returned by `defineTask`. */
export interface Task<Input = unknown, Result = unknown> {
  readonly name: string;
  readonly input: InputSchema<Input> | undefined;
  readonly queue: string;
  readonly maxAttempts: number;
  readonly backoff: Backoff;
  readonly timeoutMs: number | null;
  readonly priority: number;
  readonly isolation: Isolation;
  readonly run: (input: Input, ctx: TaskContext) => Promise<Result> | Result;
  /** The module that defined it, when known; thread and process runners load the task from there. */
  readonly module: string | undefined;
  /** Brand for type inference; not present at run time. */
  readonly __types?: { input: Input; result: Result };
}

/**
 * Any task, whatever its input and result types: what registries and runners
 * hold. Input is checked at run time there, by the task's schema.
 */
// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous collection of tasks needs the widest type.
export type AnyTask = Task<any, any>;

/** The input type a task accepts. */
export type TaskInput<T> = T extends Task<infer I, infer _R> ? I : never;
/** The result type a task returns. */
export type TaskResult<T> = T extends Task<infer _I, infer R> ? R : never;

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/** The default backoff: exponential from 1 s, capped at 10 min, with full jitter. */
export const DEFAULT_BACKOFF: Backoff = { type: 'exponential', base: '1s', max: '10m', jitter: true };

/**
 * Defines a task. Put each task in its own module and export it as default,
 * so a worker can load a directory of tasks (and thread or process runners
 * can load the module again).
 */
export function defineTask<Input = unknown, Result = unknown>(
  options: TaskOptions<Input, Result>,
): Task<Input, Result> {
  if (!NAME.test(options.name ?? '')) {
    throw new DocketError(
      'DOCKET_INVALID_ARGUMENT',
      `task name "${options.name}" must be 1-128 letters, digits, '_', '.', ':' or '-'`,
      { details: { field: 'name' } },
    );
  }
  if (typeof options.run !== 'function') {
    throw new DocketError(
      'DOCKET_INVALID_ARGUMENT',
      `task "${options.name}" needs a run(input, ctx) function`,
      {
        details: { field: 'run' },
      },
    );
  }
  const attempts = options.retry?.attempts ?? 3;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new DocketError(
      'DOCKET_INVALID_ARGUMENT',
      `retry.attempts of "${options.name}" must be an integer ≥ 1`,
      {
        details: { field: 'retry.attempts' },
      },
    );
  }
  const backoff = options.retry?.backoff ?? DEFAULT_BACKOFF;
  // Parse durations now so a typo fails at definition, not at the first failure.
  if (typeof backoff === 'object') {
    if (backoff.type === 'fixed') toMs(backoff.delay, 'retry.backoff.delay');
    else {
      toMs(backoff.base, 'retry.backoff.base');
      if (backoff.max !== undefined) toMs(backoff.max, 'retry.backoff.max');
    }
  }
  return Object.freeze({
    name: options.name,
    input: options.input,
    queue: options.queue ?? 'default',
    maxAttempts: attempts,
    backoff,
    timeoutMs: options.timeout === undefined ? null : toMs(options.timeout, 'timeout'),
    priority: options.priority ?? 0,
    isolation: options.isolation ?? 'inline',
    run: options.run,
    module: callerModule(),
  });
}

/** The file of the module that called defineTask, read from the stack. */
function callerModule(): string | undefined {
  const stack = new Error().stack?.split('\n') ?? [];
  // [0] "Error", [1] callerModule, [2] defineTask, [3] the defining module.
  const line = stack[3] ?? '';
  const match = /\((.*):\d+:\d+\)$/.exec(line) ?? /at (.*):\d+:\d+$/.exec(line);
  return match?.[1];
}

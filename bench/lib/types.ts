// The one interface every system implements, and the shapes the runner passes around.

/** Where one run keeps its data: a fresh database, file and key prefix that are removed afterwards. */
export interface Namespace {
  id: string;
  /** A PostgreSQL database made for this run. */
  pgUrl: string;
  pgDatabase: string;
  /** An SQLite file made for this run (its -wal and -shm go with it). */
  sqliteFile: string;
  redisHost: string;
  redisPort: number;
  /** Every Redis key of this run starts with it. */
  redisPrefix: string;
}

/** What a job carries: its sequence number and, for latency, when its enqueue began (ms, CLOCK_MONOTONIC). */
export interface Payload {
  n: number;
  t: number;
}

/** Called when a job starts running; a no-op job does nothing else. */
export type Handler = (payload: Payload) => void;

export interface Producer {
  /** One add, resolved once the system acknowledges it (committed or stored). */
  add(payload: Payload): Promise<void>;
  /** Many adds in one call, as the system's bulk API does it. */
  addMany(payloads: Payload[]): Promise<void>;
  close(): Promise<void>;
}

export interface Consumer {
  /** Stops taking jobs and releases connections. */
  close(): Promise<void>;
}

export interface ConsumerOptions {
  concurrency: number;
  handler: Handler;
}

/** One system under test behind one shape. Runs inside a child process. */
export interface SystemAdapter {
  openProducer(ns: Namespace): Promise<Producer>;
  /** Starts consuming at once. */
  startConsumer(ns: Namespace, options: ConsumerOptions): Promise<Consumer>;
  /** Producer and consumer sharing one instance in one process (Docket only). */
  openInProcess?(
    ns: Namespace,
    options: ConsumerOptions,
  ): Promise<{ producer: Producer; consumer: Consumer }>;
}

export type StoreKind = 'sqlite' | 'postgres' | 'redis';

export type ScenarioName =
  | 'enqueue-single'
  | 'enqueue-bulk'
  | 'drain-10'
  | 'drain-100'
  | 'latency'
  | 'latency-inproc';

/** What the runner knows about a system without loading it. */
export interface SystemInfo {
  name: string;
  label: string;
  store: StoreKind;
  /** The module (under adapters/) that exports `adapter`. */
  module: string;
  /** Docket or a peer or a raw ceiling. */
  kind: 'docket' | 'peer' | 'raw';
  scenarios: ScenarioName[];
  /** Every setting that differs from the defaults, and the durability, for BENCHMARKS.md. */
  settings: string[];
}

/** One measurement of one system in one scenario and round. */
export interface Sample {
  system: string;
  scenario: ScenarioName;
  round: number;
  /** jobs/s for throughput scenarios. */
  rate?: number;
  /** True when a time cap stopped the run before all jobs were done. */
  capped?: boolean;
  jobs?: number;
  seconds?: number;
  /** Latency scenarios, ms. */
  p50?: number;
  p95?: number;
  p99?: number;
  max?: number;
  idle?: number;
  /** Latency: paced jobs that had not started a few seconds after the last add (counted as infinitely late). */
  notStarted?: number;
  /** Peak RSS of the worker process, MiB. */
  rssMiB?: number;
  error?: string;
}

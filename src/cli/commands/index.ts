import type { Command } from 'commander';
import { registerCapacity } from './capacity.js';
import { registerEnqueue } from './enqueue.js';
import { registerJobActions } from './job-actions.js';
import { registerJobs } from './jobs.js';
import { registerMigrate } from './migrate.js';
import { registerQueues } from './queues.js';
import { registerScheduler } from './scheduler.js';
import { registerSchedules } from './schedules.js';
import { registerServe } from './serve.js';
import { registerWorker } from './worker.js';
import { registerWorkers } from './workers.js';

/** A CLI subcommand registers itself on the program. */
export type RegisterCommand = (program: Command) => void;

/** Every subcommand, in the order `docket --help` lists them. One import per command file. */
export const COMMANDS: RegisterCommand[] = [
  registerWorker,
  registerWorkers,
  registerEnqueue,
  registerJobs,
  registerJobActions,
  registerQueues,
  registerSchedules,
  registerScheduler,
  registerCapacity,
  registerMigrate,
  registerServe,
];

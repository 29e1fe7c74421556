import type { Job, JobLogLine, JobState } from './job.js';

/** What happened to a job, as seen by this process. */
export type JobEvent =
  | { type: 'enqueued'; id: string; job: Job; at: number }
  | { type: 'state'; id: string; state: JobState; attempt: number; error?: string; at: number }
  | { type: 'progress'; id: string; progress: unknown; at: number }
  | { type: 'log'; id: string; line: JobLogLine };

/**
 * Job events of this process: its enqueues and the work of its workers.
 * Other processes' changes are seen by reading the store (`getJob`,
 * `waitFor` poll it), since not every store can push across processes.
 */
export class JobEvents {
  // Plain sets, not an EventEmitter: emit runs twice for every job a worker
  // runs, and wants() lets the hot path skip building events nobody hears.
  private readonly all = new Set<(event: JobEvent) => void>();
  private readonly byJob = new Map<string, Set<(event: JobEvent) => void>>();
  /** Listens to every event; returns the function that stops listening. */
  on(listener: (event: JobEvent) => void): () => void {
    const wrapped = (event: JobEvent) => listener(event);
    this.all.add(wrapped);
    return () => this.all.delete(wrapped);
  }
  /** Listens to one job's events. */
  onJob(id: string, listener: (event: JobEvent) => void): () => void {
    const wrapped = (event: JobEvent) => listener(event);
    const set = this.byJob.get(id) ?? new Set<(event: JobEvent) => void>();
    this.byJob.set(id, set);
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
      if (set.size === 0 && this.byJob.get(id) === set) this.byJob.delete(id);
    };
  }
  /** True when someone listens to job `id`'s events (or to every event). */
  wants(id: string): boolean {
    return this.all.size > 0 || this.byJob.has(id);
  }
  /** Tells the listeners present when it is called (a listener may unsubscribe itself or others). */
  emit(event: JobEvent): void {
    if (this.all.size > 0) for (const listener of [...this.all]) listener(event);
    const set = this.byJob.get(event.id);
    if (set) for (const listener of [...set]) listener(event);
  }
}

import { EventEmitter } from 'node:events';
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
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  /** Listens to every event; returns the function that stops listening. */
  on(listener: (event: JobEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
  /** Listens to one job's events. */
  onJob(id: string, listener: (event: JobEvent) => void): () => void {
    this.emitter.on(`job:${id}`, listener);
    return () => this.emitter.off(`job:${id}`, listener);
  }
  emit(event: JobEvent): void {
    if (this.emitter.listenerCount('event') > 0) this.emitter.emit('event', event);
    if (this.emitter.listenerCount(`job:${event.id}`) > 0) this.emitter.emit(`job:${event.id}`, event);
  }
}

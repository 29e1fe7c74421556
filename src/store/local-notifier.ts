import { EventEmitter } from 'node:events';
import type { Notifier } from './store.js';

/**
 * In-process wake-ups. Every store opened on the same database in one
 * process shares one LocalNotifier (see `sharedNotifier`), so an enqueue
 * wakes the workers of the same process at once.
 */
export class LocalNotifier implements Notifier {
  private readonly emitter = new EventEmitter();
  private readonly due = new Set<string>();
  private scheduled = false;
  private stopWatch: (() => void) | null = null;

  /**
   * @param watch starts a source of wake-ups from other processes (e.g. the
   * SQLite WAL watcher) while anyone listens for jobs, and returns its stop
   * function; it calls back with no queue name, so every listener wakes.
   */
  constructor(private readonly watch?: (wake: () => void) => () => void) {
    this.emitter.setMaxListeners(0);
  }
  /**
   * Delivered on the next turn of the event loop, once per queue: the
   * enqueuer's own continuation (its 'enqueued' event, its response) comes
   * first, and a burst of enqueues wakes each worker once.
   */
  jobsAvailable(queue: string): void {
    this.due.add(queue);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const queues = [...this.due];
      this.due.clear();
      for (const q of queues) this.emitter.emit('jobs', q);
    });
  }
  cancelRequested(id: string): void {
    this.emitter.emit('cancel', id);
  }
  onJobsAvailable(listener: (queue: string) => void): () => void {
    this.emitter.on('jobs', listener);
    if (this.watch && !this.stopWatch) this.stopWatch = this.watch(() => this.jobsAvailable('*'));
    return () => {
      this.emitter.off('jobs', listener);
      if (this.emitter.listenerCount('jobs') === 0 && this.stopWatch) {
        this.stopWatch();
        this.stopWatch = null;
      }
    };
  }
  onCancelRequested(listener: (id: string) => void): () => void {
    this.emitter.on('cancel', listener);
    return () => this.emitter.off('cancel', listener);
  }
}

const shared = new Map<string, LocalNotifier>();

/** The notifier shared by all stores of this process on the database named `key`. */
export function sharedNotifier(key: string, watch?: (wake: () => void) => () => void): LocalNotifier {
  let notifier = shared.get(key);
  if (!notifier) {
    notifier = new LocalNotifier(watch);
    shared.set(key, notifier);
  }
  return notifier;
}

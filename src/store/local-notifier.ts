import { EventEmitter } from 'node:events';
import type { Notifier } from './store.js';

/**
 * In-process wake-ups. Every store opened on the same database in one
 * process shares one LocalNotifier (see `sharedNotifier`), so an enqueue
 * wakes the workers of the same process at once.
 */
export class LocalNotifier implements Notifier {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  jobsAvailable(queue: string): void {
    this.emitter.emit('jobs', queue);
  }
  cancelRequested(id: string): void {
    this.emitter.emit('cancel', id);
  }
  onJobsAvailable(listener: (queue: string) => void): () => void {
    this.emitter.on('jobs', listener);
    return () => this.emitter.off('jobs', listener);
  }
  onCancelRequested(listener: (id: string) => void): () => void {
    this.emitter.on('cancel', listener);
    return () => this.emitter.off('cancel', listener);
  }
}

const shared = new Map<string, LocalNotifier>();

/** The notifier shared by all stores of this process on the database named `key`. */
export function sharedNotifier(key: string): LocalNotifier {
  let notifier = shared.get(key);
  if (!notifier) {
    notifier = new LocalNotifier();
    shared.set(key, notifier);
  }
  return notifier;
}

import type { DocketError } from '../errors.js';

/**
 * How a running job is stopped from outside (timeout, cancel, lost lease,
 * shutdown). The AbortController behind `signal` is made only when the
 * handler reads its signal or the job is aborted: most jobs never need one,
 * and making one (an EventTarget with its listener lists) for each job was
 * a measurable part of a short job's cost.
 */
export class JobAbort {
  #controller: AbortController | null = null;
  #reason: DocketError | null = null;
  #onAbort: ((reason: DocketError) => void) | null = null;

  /** The handler's AbortSignal; already aborted when the job was stopped before it was read. */
  get signal(): AbortSignal {
    if (this.#controller === null) {
      this.#controller = new AbortController();
      if (this.#reason !== null) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Why the job was stopped, or null while it was not. */
  get reason(): DocketError | null {
    return this.#reason;
  }

  /** Stops the job with `reason`; the first reason wins. */
  abort(reason: DocketError): void {
    if (this.#reason !== null) return;
    this.#reason = reason;
    this.#controller?.abort(reason);
    this.#onAbort?.(reason);
  }

  /**
   * Settles as `promise` does, or rejects with the abort reason when the job
   * is stopped first: a handler that ignores its signal still frees its slot
   * (its late result is discarded).
   */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.#reason !== null) return Promise.reject(this.#reason);
    return new Promise<T>((resolve, reject) => {
      this.#onAbort = reject;
      promise.then(resolve, reject);
    });
  }
}

/**
 * A sleep that can be cut short: `wait(ms)` resolves after `ms` or as soon
 * as `wake()` is called, whichever comes first. A wake with nobody waiting
 * is remembered, so a notification that lands between two sleeps is not lost.
 */
export class Wakeup {
  private resolve: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private pending = false;

  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.resolve = resolve;
      this.timer = setTimeout(() => this.fire(), ms);
    });
  }

  wake(): void {
    if (this.resolve) this.fire();
    else this.pending = true;
  }

  private fire(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const resolve = this.resolve;
    this.resolve = null;
    this.pending = false;
    resolve?.();
  }
}

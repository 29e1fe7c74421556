import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { LocalNotifier } from '../local-notifier.js';
import type { Notifier } from '../store.js';

/** This process's tag on the notifications it sends, so it can skip its own echo (it delivered those locally). */
export const ORIGIN = randomUUID().slice(0, 8);

/** The NOTIFY channel of a Docket schema. */
export function channelFor(schema: string): string {
  return `docket_${schema}`;
}

/**
 * A payload: `j|origin|queue` (jobs available) or `c|origin|id` (cancel
 * requested). An empty origin means "not delivered locally yet": a
 * transactional enqueue leaves it empty, because its jobs exist only once
 * the caller commits, and the commit is when the NOTIFY arrives.
 */
export function payload(kind: 'j' | 'c', value: string, origin: string = ORIGIN): string {
  return `${kind}|${origin}|${value}`;
}

function parsePayload(text: string): { kind: string; origin: string; value: string } | null {
  const first = text.indexOf('|');
  const second = text.indexOf('|', first + 1);
  if (first < 0 || second < 0) return null;
  return { kind: text.slice(0, first), origin: text.slice(first + 1, second), value: text.slice(second + 1) };
}

/** Sends notifications through the database; the store supplies it (it knows the pool and executor). */
export type NotifySender = (payloads: string[]) => Promise<void>;

/** What the notifier needs to open its own listening connection. */
export interface ListenTarget {
  /** pg client settings (the pool's). */
  config: pg.ClientConfig;
  schema: string;
  /** Reports listener trouble; it never throws. */
  onError?: (error: unknown) => void;
}

/**
 * LISTEN/NOTIFY wake-ups. One listening connection per process and schema,
 * shared by every store and worker in the process; it opens when the first
 * listener subscribes, closes when the last leaves, and reconnects with
 * backoff. Local listeners fire at once; the echo of this process's own
 * notifications is skipped. After a reconnect every listener is woken, since
 * notifications sent while it was down are lost (polling stays the source of
 * truth).
 */
export class PgListener {
  readonly local = new LocalNotifier();
  private client: pg.Client | null = null;
  private subscribers = 0;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private connecting: Promise<void> | null = null;
  private readonly channel: string;

  constructor(private readonly target: ListenTarget) {
    this.channel = channelFor(target.schema);
  }

  /** Counts a subscriber; the first one opens the connection. */
  retain(): void {
    this.subscribers++;
    if (this.subscribers === 1) void this.connect();
  }

  /** Drops a subscriber; the last one closes the connection. */
  releaseOne(): void {
    this.subscribers = Math.max(0, this.subscribers - 1);
    if (this.subscribers === 0) this.disconnect();
  }

  /** Resolves once the listening connection is up (tests wait on it before sending from elsewhere). */
  async ready(): Promise<void> {
    while (this.subscribers > 0 && !this.client) {
      await (this.connecting ?? new Promise((resolve) => setTimeout(resolve, 20)));
    }
  }

  /** True while LISTEN is in place. */
  get listening(): boolean {
    return this.client !== null;
  }

  private connect(): Promise<void> {
    if (this.connecting || this.client || this.subscribers === 0) return this.connecting ?? Promise.resolve();
    this.connecting = this.open().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async open(): Promise<void> {
    const client = new pg.Client({ ...this.target.config, application_name: 'docket-listener' });
    // An error event on a client without a listener would crash the process; route it to a reconnect.
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('listener connection ended')));
    client.on('notification', (message) => {
      if (message.channel === this.channel && message.payload) this.deliver(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.subscribers === 0) {
      void client.end().catch(() => {});
      return;
    }
    const wasRetrying = this.attempt > 0;
    this.client = client;
    this.attempt = 0;
    // Anything notified while the connection was down is lost; let every listener look once.
    if (wasRetrying) this.local.jobsAvailable('*');
  }

  private deliver(text: string): void {
    const message = parsePayload(text);
    if (!message || message.origin === ORIGIN) return;
    if (message.kind === 'j') this.local.jobsAvailable(message.value);
    else if (message.kind === 'c') this.local.cancelRequested(message.value);
  }

  private lost(client: pg.Client, error: unknown): void {
    if (this.client === client) this.client = null;
    else if (this.client !== null) return;
    client.removeAllListeners('notification');
    void client.end().catch(() => {});
    if (this.subscribers === 0 || this.retryTimer) return;
    this.target.onError?.(error);
    const delay = Math.min(5000, 100 * 2 ** Math.min(this.attempt, 6));
    this.attempt++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
    this.retryTimer.unref();
  }

  private disconnect(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners('end');
      void client.end().catch(() => {});
    }
  }
}

const listeners = new Map<string, PgListener>();

/** The listener shared by every store of this process on one database and schema. */
export function sharedListener(key: string, target: ListenTarget): PgListener {
  let listener = listeners.get(key);
  if (!listener) {
    listener = new PgListener(target);
    listeners.set(key, listener);
  }
  return listener;
}

/**
 * The Notifier a PostgreSQL store hands out: sends through the database
 * (so other processes and hosts hear it) and delivers in-process at once;
 * subscribing keeps the shared listening connection open.
 */
export class PgNotifier implements Notifier {
  constructor(
    readonly listener: PgListener,
    private readonly send: NotifySender,
    private readonly onError: (error: unknown) => void,
  ) {}

  jobsAvailable(queue: string): void {
    this.listener.local.jobsAvailable(queue);
    this.send([payload('j', queue)]).catch(this.onError);
  }

  cancelRequested(id: string): void {
    this.listener.local.cancelRequested(id);
    this.send([payload('c', id)]).catch(this.onError);
  }

  onJobsAvailable(listener: (queue: string) => void): () => void {
    return this.subscribe(this.listener.local.onJobsAvailable(listener));
  }

  onCancelRequested(listener: (id: string) => void): () => void {
    return this.subscribe(this.listener.local.onCancelRequested(listener));
  }

  private subscribe(off: () => void): () => void {
    this.listener.retain();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      off();
      this.listener.releaseOne();
    };
  }
}

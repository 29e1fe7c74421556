/**
 * The messages a thread or child process and its runner exchange. One slot
 * runs one job at a time, so every job message carries the run's `id` only
 * to drop stragglers from an earlier, abandoned run.
 */

/** A thrown value as it crosses the boundary: enough to rebuild an Error with its code and stack. */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  details?: Record<string, unknown>;
}

/** What the handler's context needs to know about its job. */
export interface WireJob {
  jobId: string;
  attempt: number;
  queue: string;
  task: string;
}

/** Runner → slot. */
export type ToSlot =
  | { type: 'run'; id: number; module: string; job: WireJob; input: unknown }
  | { type: 'abort'; id: number; reason: WireError }
  | { type: 'progress-ack'; id: number; seq: number; error?: WireError };

/** Slot → runner. `memoryMb` is what the recycling limit is checked against. */
export type FromSlot =
  | { type: 'ready' }
  | { type: 'progress'; id: number; seq: number; value: unknown }
  | { type: 'log'; id: number; level: 'debug' | 'info' | 'warn' | 'error'; message: string }
  | { type: 'done'; id: number; ok: true; value: unknown; memoryMb: number }
  | { type: 'done'; id: number; ok: false; error: WireError; memoryMb: number };

/** Flattens a thrown value for the wire; non-Errors become their string form. */
export function toWireError(thrown: unknown): WireError {
  if (thrown instanceof Error) {
    const { code, details } = thrown as { code?: unknown; details?: unknown };
    return {
      name: thrown.name,
      message: thrown.message,
      ...(thrown.stack ? { stack: thrown.stack } : {}),
      ...(typeof code === 'string' ? { code } : {}),
      ...(details && typeof details === 'object' ? { details: details as Record<string, unknown> } : {}),
    };
  }
  let message: string;
  try {
    message = typeof thrown === 'string' ? thrown : (JSON.stringify(thrown) ?? String(thrown));
  } catch {
    message = String(thrown);
  }
  return { name: 'Error', message };
}

/** Rebuilds an Error from the wire, keeping the original name, code and stack (the stack of the code that threw). */
export function fromWireError(wire: WireError): Error {
  const error = new Error(wire.message) as Error & { code?: string; details?: Record<string, unknown> };
  error.name = wire.name;
  if (wire.stack !== undefined) error.stack = wire.stack;
  if (wire.code !== undefined) error.code = wire.code;
  if (wire.details !== undefined) error.details = wire.details;
  return error;
}

import pino from 'pino';

/** The logger Docket writes to: a pino logger (or anything with its methods). */
export type Logger = pino.Logger;

/** Docket's default logger: JSON lines on stderr at `DOCKET_LOG_LEVEL` (default `warn`). */
export function defaultLogger(): Logger {
  return pino({ name: 'docket', level: process.env.DOCKET_LOG_LEVEL ?? 'warn' }, pino.destination(2));
}

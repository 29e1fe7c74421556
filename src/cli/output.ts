import { DocketError } from '../errors.js';

/** Prints an error as one clear line and exits non-zero; never a stack trace for expected errors. */
export function reportAndExit(error: unknown): never {
  if (error instanceof DocketError) {
    process.stderr.write(`docket: ${error.message} (${error.code})\n`);
  } else if (error instanceof Error) {
    process.stderr.write(`docket: ${error.message}\n`);
    if (process.env.DOCKET_DEBUG) process.stderr.write(`${error.stack}\n`);
  } else {
    process.stderr.write(`docket: ${String(error)}\n`);
  }
  process.exit(1);
}

/** Renders rows as an aligned text table for people to read. */
export function table(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = [
    headers,
    ...rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '' : String(cell)))),
  ];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((cell, i) => (cell ?? '').padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

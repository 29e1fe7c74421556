/** The URL of a runner entry script next to this file: `.ts` when running from source under tsx, else `.js`. */
export function entryUrl(name: 'thread-entry' | 'process-entry'): URL {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${ext}`, import.meta.url);
}

/** True when this process runs TypeScript through tsx, so threads and children must too. */
export function underTsx(): boolean {
  return import.meta.url.endsWith('.ts') || process.execArgv.some((arg) => arg.includes('tsx'));
}

/**
 * The source of a thread's bootstrap: Node 20 does not apply the parent's
 * `--import tsx` hooks to a worker thread's entry, so the thread registers
 * tsx itself before importing the entry (and, through it, .ts task modules).
 */
export function tsxBootstrap(entry: URL): string {
  const api = underTsx() ? resolveTsxApi() : null;
  const load = `import(${JSON.stringify(entry.href)})`;
  if (!api) return load;
  return `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return ${load}; })`;
}

function resolveTsxApi(): string | null {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    // Not resolvable from here: .ts task modules will fail to load, with that error on the job.
    return null;
  }
}

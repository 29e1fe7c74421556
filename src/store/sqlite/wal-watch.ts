import { type FSWatcher, watch } from 'node:fs';

/**
 * Calls `onCommit` soon after any process commits to the SQLite database at
 * `filename`, by watching its write-ahead log with inotify (fs.watch): every
 * commit appends to `<file>-wal`. This is how a worker in one process wakes
 * within a millisecond or so of an enqueue in another, instead of at its next
 * poll; polling stays as the fallback (and on file systems without inotify,
 * such as network mounts, is all there is). A commit that changed nothing
 * writes nothing, so an idle worker's empty claim does not wake it again.
 * Returns the function that stops watching.
 */
export function watchWal(filename: string, onCommit: () => void): () => void {
  let watcher: FSWatcher | null = null;
  let retry: NodeJS.Timeout | null = null;
  let stopped = false;
  const attach = () => {
    retry = null;
    if (stopped) return;
    try {
      watcher = watch(`${filename}-wal`, { persistent: false }, onCommit);
      // The WAL is removed when the last connection closes; watch it again once it is back.
      watcher.on('error', () => {
        watcher?.close();
        watcher = null;
        schedule();
      });
    } catch {
      schedule();
    }
  };
  const schedule = () => {
    if (stopped || retry) return;
    retry = setTimeout(attach, 1000);
    retry.unref();
  };
  attach();
  return () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    watcher?.close();
  };
}

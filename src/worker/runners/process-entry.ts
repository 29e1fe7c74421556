// Runs in each child process of a ProcessRunner: serves jobs over the IPC channel.

import type { ToSlot } from './protocol.js';
import { serveJobs } from './slot-entry.js';

const send = process.send?.bind(process);
if (!send) throw new Error('process-entry must be started with an IPC channel (child_process.fork)');
// Without its parent there is no one to report to: leave rather than linger as an orphan.
process.on('disconnect', () => process.exit(0));
serveJobs({
  send: (message) => {
    send(message);
  },
  onMessage: (listener) => process.on('message', (message) => listener(message as ToSlot)),
  memoryMb: () => process.memoryUsage.rss() / 2 ** 20,
});

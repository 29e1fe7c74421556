// Runs inside each worker thread of a ThreadRunner: serves jobs over parentPort.
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { serveJobs } from './slot-entry.js';

if (!parentPort) throw new Error('thread-entry must run in a worker thread');
const port = parentPort;
serveJobs({
  send: (message) => port.postMessage(message),
  onMessage: (listener) => port.on('message', listener),
  // The thread's own heap: RSS is shared by every thread of the process.
  memoryMb: () => getHeapStatistics().used_heap_size / 2 ** 20,
});

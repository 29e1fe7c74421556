import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createDocket, type Docket, type Worker } from '../../src/index.js';
import { tempSqliteUrl } from '../helpers/tmp.js';
import { until } from '../helpers/wait.js';
import { quiet } from './helpers.js';

// The demo's thread and process tasks, loaded from examples/tasks as the CLI does.
describe('example tasks off the event loop', () => {
  const db = tempSqliteUrl();
  let docket: Docket;
  let worker: Worker;
  before(async () => {
    docket = await createDocket({
      store: db.url,
      tasks: fileURLToPath(new URL('../../examples/tasks', import.meta.url)),
    });
    worker = docket.startWorker({
      queues: ['images', 'documents'],
      pollInterval: 50,
      maintenance: false,
      logger: quiet,
    });
  });
  after(async () => {
    await docket.close();
    db.cleanup();
  });

  test('thumbnail resizes a real image in a thread, with progress', async () => {
    const job = await docket.enqueue('thumbnail', {
      imageId: 'test-1',
      width: 320,
      height: 240,
      sizes: [32, 96],
    });
    const done = await docket.waitFor(job.id);
    assert.equal(done.state, 'completed', JSON.stringify(done.errors));
    assert.equal(done.progress, 100);
    const result = done.result as { thumbnails: { size: number; path: string }[] };
    assert.deepEqual(
      result.thumbnails.map((t) => t.size),
      [32, 96],
    );
    // A JPEG starts with FF D8.
    assert.deepEqual([...readFileSync(result.thumbnails[0]!.path).subarray(0, 2)], [0xff, 0xd8]);
    assert.ok(worker.isStopping === false);
  });

  test('pdf-render writes a PDF in a child process', async () => {
    const job = await docket.enqueue('pdf-render', {
      invoiceId: 'INV-1',
      customer: 'Ada (Lovelace)',
      lines: [{ item: 'Analytical engine', quantity: 1, cents: 99_00 }],
    });
    const done = await docket.waitFor(job.id);
    assert.equal(done.state, 'completed', JSON.stringify(done.errors));
    const pdf = readFileSync((done.result as { path: string }).path, 'latin1');
    assert.match(pdf, /^%PDF-1\.4/);
    assert.match(pdf, /\(Total due: 99\.00 EUR\) '/);
    const [line] = await until(async () => {
      const logs = await docket.getLogs(job.id);
      return logs.length > 0 ? logs : null;
    }, 'the log line');
    assert.match(line!.message, /rendered in pid \d+$/);
    assert.doesNotMatch(line!.message, new RegExp(`pid ${process.pid}$`));
  });
});

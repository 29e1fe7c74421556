// The web dashboard in a real browser (Debian's Chromium through
// playwright-core) against a real server on a fresh SQLite file, with a
// worker in this process. Screenshots of every page go to
// test-output/screenshots/.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { type Histogram, record } from '../../src/capacity/histogram.js';
import type { Worker } from '../../src/worker/worker.js';
import { until } from '../helpers/wait.js';
import {
  type DashboardHarness,
  enqueueOverHttp,
  overflowsSideways,
  screenshot,
  startDashboard,
  unlabelledControls,
} from './fixtures/dashboard/harness.js';
import { chargeCard, reportTask, resizeImage, sendEmail } from './fixtures/dashboard/tasks.js';

const report = reportTask();
let h: DashboardHarness;
let worker: Worker;
// `inbox` is left out on purpose: its jobs wait, so its counts can be watched.
const SERVED = ['mail', 'payments', 'images', 'reports', 'pause-a', 'pause-b', 'bulk', 'later'];

before(async () => {
  h = await startDashboard([sendEmail, chargeCard, resizeImage, report.task]);
  worker = h.docket.startWorker({ queues: SERVED, pollInterval: 50, concurrency: 5 });
});

after(async () => {
  report.open();
  await worker?.stop();
  await h?.close();
});

async function stateOf(id: string): Promise<string | undefined> {
  return (await h.docket.getJob(id))?.state;
}

/** Requests pages send to the API, as `METHOD /path` (query left out), from now until `stop`. */
function apiCalls(source: Page | BrowserContext): string[] & { stop(): void } {
  const seen = [] as unknown as string[] & { stop(): void };
  const listen = (request: Request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith('/v1/')) seen.push(`${request.method()} ${path}`);
  };
  source.on('request', listen);
  seen.stop = () => source.off('request', listen);
  return seen;
}

function countIn(page: Page, queue: string, state: string) {
  return page.locator(`[data-queue="${queue}"] [data-count="${state}"] .count-value`);
}

it('the overview loads and shows every queue', async () => {
  const jobs = [
    await enqueueOverHttp(h.url, {
      task: 'send-email',
      input: { to: 'ada@example.com', subject: 'Welcome' },
    }),
    await enqueueOverHttp(h.url, { task: 'resize-image', input: { path: 'cat.png' } }),
    await enqueueOverHttp(h.url, { task: 'charge-card', input: { order: 1 } }),
    await enqueueOverHttp(h.url, { task: 'charge-card', input: { order: 2, failFirst: true } }),
  ];
  await until(async () => {
    const states = await Promise.all(jobs.map((j) => stateOf(j.id)));
    return states.every((s) => s === 'completed' || s === 'failed');
  }, 'the first jobs to finish');
  // Another host's workers measured 40 images (3 s each) and 3 failures half an hour ago: this
  // browser never saw those jobs, so only the server's statistics can put them in the chart.
  const minute = Math.floor((Date.now() - 30 * 60_000) / 60_000) * 60_000;
  const runHist: Histogram = {};
  record(runHist, 3000, 40);
  const waitHist: Histogram = {};
  record(waitHist, 500, 43);
  await h.docket.store.recordStats({
    buckets: [
      { queue: 'images', bucket: minute, arrivals: 43, starts: 43, completions: 40, failures: 3 },
    ].map((b) => ({ ...b, waitMsSum: 500 * 43, runMsSum: 3000 * 40, waitHist, runHist })),
  });
  // The whole context: the page's first requests go out before `open` returns.
  const calls = apiCalls(h.browser);
  const page = await h.open('#/');
  for (const queue of ['mail', 'images', 'payments']) {
    await page.locator(`[data-queue="${queue}"]`).waitFor();
  }
  await countIn(page, 'payments', 'failed').filter({ hasText: /^1$/ }).waitFor();
  await countIn(page, 'payments', 'completed').filter({ hasText: /^1$/ }).waitFor();
  const images = page.locator('[data-queue="images"]');
  await images.locator('[data-total-completed]').filter({ hasText: /^41$/ }).waitFor();
  await images.locator('[data-total-failed]').filter({ hasText: /^3$/ }).waitFor();
  await images
    .locator('[data-stat="run"] dd')
    .filter({ hasText: /^[23]\.\d s · [23]\.\d s$/ })
    .waitFor();
  const payments = page.locator('[data-queue="payments"]');
  await payments.locator('[data-total-failed]').filter({ hasText: /^1$/ }).waitFor();
  await payments.locator('[data-stat="drain"]', { hasText: 'nothing waiting' }).waitFor();
  assert.ok(calls.includes('GET /v1/stats'), 'the overview reads GET /v1/stats');
  assert.ok(calls.includes('GET /v1/capacity'), 'the overview reads GET /v1/capacity');
  calls.stop();
  await page.getByRole('heading', { name: 'Live workers' }).waitFor();
  await page.locator('[data-status="live"]').waitFor();
  assert.deepEqual(await unlabelledControls(page), []);
  await screenshot(page, 'overview');
  await page.close();
});

it('jobs enqueued through the API change the counts live, without a reload', async () => {
  await enqueueOverHttp(h.url, { task: 'send-email', queue: 'inbox', input: { to: 'a@example.com' } });
  const page = await h.open('#/');
  await countIn(page, 'inbox', 'available').filter({ hasText: /^1$/ }).waitFor();
  // Marks this document: a reload would lose the mark.
  await page.evaluate(() => {
    (window as unknown as { stillHere: boolean }).stillHere = true;
  });
  for (let n = 0; n < 3; n++) {
    await enqueueOverHttp(h.url, { task: 'send-email', queue: 'inbox', input: { to: `b${n}@example.com` } });
  }
  await countIn(page, 'inbox', 'available').filter({ hasText: /^4$/ }).waitFor();
  assert.equal(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere), true);
  await page.close();
});

it("a failed job's page shows its error and stack, and Retry runs it to completion", async () => {
  const job = await enqueueOverHttp(h.url, { task: 'charge-card', input: { order: 42, failFirst: true } });
  await until(async () => (await stateOf(job.id)) === 'failed', 'the job to fail');
  const page = await h.open(`#/jobs/${job.id}`);
  await page.locator('article.job[data-state="failed"]').waitFor();
  await page.locator('.error-message', { hasText: 'card declined by upstream (402)' }).waitFor();
  const stack = await page.locator('.stack').first().textContent();
  assert.match(stack ?? '', /card declined by upstream/);
  assert.match(stack ?? '', /\n\s+at /, 'the stack trace has frames');
  await page.locator('.log-message', { hasText: 'the card processor answered 402' }).waitFor();
  await screenshot(page, 'job-failed');

  await page.getByRole('button', { name: 'Retry', exact: true }).click();
  await page.locator('article.job[data-state="completed"]').waitFor();
  assert.equal(await stateOf(job.id), 'completed');
  await page.locator('pre[data-json="result"]', { hasText: '"charged": true' }).waitFor();
  await page.locator('.attempt[data-attempt="2"]', { hasText: 'completed' }).waitFor();
  await page.locator('.timeline', { hasText: 'Retried from the dashboard' }).waitFor();
  assert.deepEqual(await unlabelledControls(page), []);
  await screenshot(page, 'job-retried');
  await page.close();
});

it('the job page shows progress and log lines live while the job runs', async () => {
  const job = await enqueueOverHttp(h.url, { task: 'build-report', input: { month: '2025-06' } });
  const page = await h.open(`#/jobs/${job.id}`);
  await page.locator('[role="progressbar"][aria-valuenow="100"]').waitFor();
  await page.locator('.progress-label', { hasText: '5 / 5' }).waitFor();
  await page.locator('.log-message', { hasText: 'step 5 of 5' }).waitFor();
  await page.locator('article.job[data-state="active"]').waitFor();
  await screenshot(page, 'job-running');
  report.open();
  await page.locator('article.job[data-state="completed"]').waitFor();
  await page.locator('pre[data-json="result"]', { hasText: '"rows": 1234' }).waitFor();
  await page.close();
});

it('pausing a queue from the overview stops it, and resuming lets it run', async () => {
  const first = await enqueueOverHttp(h.url, {
    task: 'send-email',
    queue: 'pause-a',
    input: { to: 'x@example.com' },
  });
  await until(async () => (await stateOf(first.id)) === 'completed', 'a first job on pause-a');
  const page = await h.open('#/');
  await page.getByRole('button', { name: 'Pause queue pause-a' }).click();
  await page.locator('[data-queue="pause-a"] [data-paused="true"]').waitFor();
  const paused = (await h.docket.queues()).find((q) => q.name === 'pause-a');
  assert.equal(paused?.paused, true);

  // Held is enqueued before control: the worker's claim that takes control would have taken held, unless paused.
  const held = await enqueueOverHttp(h.url, {
    task: 'send-email',
    queue: 'pause-a',
    input: { to: 'h@example.com' },
  });
  const control = await enqueueOverHttp(h.url, {
    task: 'send-email',
    queue: 'pause-b',
    input: { to: 'c@example.com' },
  });
  await until(async () => (await stateOf(control.id)) === 'completed', 'the job on the running queue');
  assert.equal(await stateOf(held.id), 'available');
  await countIn(page, 'pause-a', 'available').filter({ hasText: /^1$/ }).waitFor();
  await page.locator('[data-queue="pause-a"]', { hasText: 'paused' }).waitFor();
  await screenshot(page, 'overview-paused');

  await page.getByRole('button', { name: 'Resume queue pause-a' }).click();
  await page.locator('[data-queue="pause-a"] [data-paused="false"]').waitFor();
  await until(async () => (await stateOf(held.id)) === 'completed', 'the held job to run after resume');
  await page.close();
});

it('the job list filters, finds by key, and acts in bulk after confirming how many', async () => {
  const failed: { id: string }[] = [];
  for (let order = 100; order < 103; order++) {
    failed.push(
      await enqueueOverHttp(h.url, { task: 'charge-card', queue: 'bulk', input: { order, failFirst: true } }),
    );
  }
  await until(async () => {
    const states = await Promise.all(failed.map((j) => stateOf(j.id)));
    return states.every((s) => s === 'failed');
  }, 'three jobs to fail');

  const page = await h.open('#/jobs?queue=bulk&state=failed');
  const calls = apiCalls(page);
  await until(async () => (await page.locator('tbody tr[data-state="failed"]').count()) === 3, 'three rows');
  assert.equal(await page.getByLabel('State').inputValue(), 'failed');
  await page.getByLabel('Select every job on this page').check();
  await page.locator('.bulk-label', { hasText: '3 selected' }).waitFor();
  assert.deepEqual(await unlabelledControls(page), []);
  await screenshot(page, 'jobs');
  await page.getByRole('button', { name: 'Retry selected' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('heading', { name: 'Retry 3 jobs?' }).waitFor();
  await screenshot(page, 'jobs-confirm');
  await dialog.getByRole('button', { name: 'Retry 3' }).click();
  await page.locator('.notice', { hasText: '3 jobs retried' }).waitFor();
  await until(async () => {
    const states = await Promise.all(failed.map((j) => stateOf(j.id)));
    return states.every((s) => s === 'completed');
  }, 'the retried jobs to complete');
  assert.deepEqual(
    calls.filter((c) => c.startsWith('POST')),
    ['POST /v1/jobs:retry'],
    'one bulk request, not one per job',
  );

  // Everything matching a filter: two jobs due in an hour, cancelled from the menu.
  const later = [
    await enqueueOverHttp(h.url, {
      task: 'send-email',
      queue: 'later',
      delay: '1h',
      input: { to: 'l1@example.com' },
    }),
    await enqueueOverHttp(h.url, {
      task: 'send-email',
      queue: 'later',
      delay: '1h',
      input: { to: 'l2@example.com' },
    }),
  ];
  await page.goto(`${h.url}/#/jobs?queue=later&state=scheduled`);
  await until(async () => (await page.locator('tbody tr[data-state="scheduled"]').count()) === 2, 'two rows');
  await page.getByText('All matching…').click();
  await page.getByRole('button', { name: 'Cancel every job matching the filter' }).click();
  await dialog.getByRole('heading', { name: 'Cancel 2 jobs?' }).waitFor();
  await dialog.getByRole('button', { name: 'Cancel 2' }).click();
  await until(async () => {
    const states = await Promise.all(later.map((j) => stateOf(j.id)));
    return states.every((s) => s === 'cancelled');
  }, 'both jobs to be cancelled');
  assert.ok(calls.includes('GET /v1/jobs:count'), 'the server counted the jobs for the confirmation');
  assert.ok(calls.includes('POST /v1/jobs:cancel'));

  // Delete everything matching the filter: the two cancelled jobs.
  await page.goto(`${h.url}/#/jobs?queue=later&state=cancelled`);
  await until(async () => (await page.locator('tbody tr[data-state="cancelled"]').count()) === 2, 'two rows');
  await page.getByText('All matching…').click();
  await page.getByRole('button', { name: 'Delete every job matching the filter' }).click();
  await dialog.getByRole('heading', { name: 'Delete 2 jobs?' }).waitFor();
  await dialog.locator('[data-bulk-count="2"]', { hasText: 'queue later' }).waitFor();
  await dialog.getByRole('button', { name: 'Delete 2' }).click();
  await page.locator('.notice', { hasText: '2 jobs deleted' }).waitFor();
  for (const job of later) assert.equal(await h.docket.getJob(job.id), null);
  assert.ok(calls.includes('POST /v1/jobs:delete'));
  assert.equal(
    calls.some((c) => /^(POST|DELETE) \/v1\/jobs\/[^/]+/.test(c)),
    false,
    'no per-job requests',
  );

  // Search by unique key.
  const keyed = await enqueueOverHttp(h.url, {
    task: 'send-email',
    key: 'welcome:ada',
    input: { to: 'ada@example.com' },
  });
  await page.goto(`${h.url}/#/jobs`);
  await page.getByLabel('Find a job').fill('welcome:ada');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.locator(`tbody tr[data-job="${keyed.id}"]`).waitFor();
  assert.equal(await page.locator('tbody tr').count(), 1);

  // Search by text in the input: an address inside a waiting job's input.
  const grace = await enqueueOverHttp(h.url, {
    task: 'send-email',
    queue: 'inbox',
    input: { to: 'grace.hopper@navy.example', subject: 'Compilers' },
  });
  await page.getByLabel('Find a job').fill('HOPPER@navy');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.locator(`tbody tr[data-job="${grace.id}"]`).waitFor();
  assert.equal(await page.locator('tbody tr').count(), 1);
  await page.locator('.notice', { hasText: 'or with it in their input' }).waitFor();
  await page.close();
});

it('the workers page shows the live worker', async () => {
  const page = await h.open('#/workers');
  await page.locator(`[data-worker="${worker.id}"]`).waitFor();
  await page.locator(`[data-worker="${worker.id}"]`, { hasText: 'inline' }).waitFor();
  await screenshot(page, 'workers');
  await page.close();
});

it('the schedules page shows each schedule in words, and pauses and runs it', async () => {
  await h.docket.schedule('nightly-digest', {
    cron: '0 2 * * *',
    tz: 'Europe/Berlin',
    task: 'send-email',
    input: { to: 'ops@example.com', subject: 'Digest' },
  });
  await h.docket.schedule('thumbnail-sweep', { every: '5m', task: 'resize-image', input: { path: 'x.png' } });
  const page = await h.open('#/schedules');
  const nightly = page.locator('[data-schedule="nightly-digest"]');
  await nightly.filter({ hasText: 'Every day at 02:00' }).waitFor();
  await nightly.filter({ hasText: 'Europe/Berlin' }).waitFor();
  assert.equal(await nightly.locator('.next-run').count(), 3);
  await page.locator('[data-schedule="thumbnail-sweep"]', { hasText: 'Every 5 minutes' }).waitFor();

  await page.getByRole('button', { name: 'Run schedule nightly-digest now' }).click();
  const ran = await until(async () => (await h.docket.getSchedule('nightly-digest')).lastJobId, 'a run');
  await until(async () => (await stateOf(ran)) === 'completed', 'the run to complete');
  await nightly.locator('.badge.state-completed').waitFor();

  await page.getByRole('button', { name: 'Pause schedule nightly-digest' }).click();
  await nightly.locator('.badge', { hasText: 'paused' }).waitFor();
  assert.equal((await h.docket.getSchedule('nightly-digest')).paused, true);
  await screenshot(page, 'schedules');
  await page.getByRole('button', { name: 'Resume schedule nightly-digest' }).click();
  await nightly.locator('.badge', { hasText: 'active' }).waitFor();
  await page.close();
});

it('the capacity page shows busy slots and the recommended concurrency per queue', async () => {
  const page = await h.open('#/capacity');
  await page.getByRole('heading', { name: 'Capacity', level: 1 }).waitFor();
  const payments = page.locator('[data-capacity="payments"]');
  await payments.filter({ hasText: 'Recommended concurrency' }).waitFor();
  await payments.filter({ hasText: 'Busy slots' }).waitFor();
  await screenshot(page, 'capacity');
  await page.close();
});

it('every page is usable at 390 px wide', async () => {
  const job = (await h.docket.listJobs({ queue: 'payments', state: 'failed' })).jobs[0]!;
  const routes: [string, string, string][] = [
    ['#/', 'Overview', 'overview'],
    ['#/jobs', 'Jobs', 'jobs'],
    [`#/jobs/${job.id}`, 'charge-card', 'job-failed'],
    ['#/workers', 'Workers', 'workers'],
    ['#/schedules', 'Schedules', 'schedules'],
    ['#/capacity', 'Capacity', 'capacity'],
  ];
  const page = await h.open('#/', 390);
  for (const [route, heading, name] of routes) {
    await page.goto(`${h.url}/${route}`);
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
    await page.locator('[data-status="live"]').waitFor();
    if (name === 'overview') await page.locator('[data-queue="payments"]').waitFor();
    if (name === 'jobs') await page.locator('tbody tr').first().waitFor();
    await screenshot(page, name);
    assert.equal(await overflowsSideways(page), false, `${route} scrolls sideways at 390 px`);
  }
  // The navigation works by keyboard: Tab reaches the skip link first, then the sections.
  await page.goto(`${h.url}/#/`);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
  await page.getByRole('link', { name: 'Jobs', exact: true }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
  await page.close();
});

it('no page threw an error', () => {
  assert.deepEqual(h.pageErrors, []);
});

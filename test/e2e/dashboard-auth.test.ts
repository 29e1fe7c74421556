// The dashboard on a server with tokens: it asks for one, keeps it for the
// tab, and with the read-only token shows everything but cannot act (its
// buttons are disabled and the API refuses anyway).
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Worker } from '../../src/worker/worker.js';
import { until } from '../helpers/wait.js';
import { type DashboardHarness, screenshot, startDashboard } from './fixtures/dashboard/harness.js';
import { chargeCard, sendEmail } from './fixtures/dashboard/tasks.js';

const ADMIN = 'admin-secret-for-tests';
const READ = 'read-secret-for-tests';
let h: DashboardHarness;
let worker: Worker;
let failedId: string;

before(async () => {
  h = await startDashboard([sendEmail, chargeCard], { tokens: { admin: ADMIN, read: READ } });
  worker = h.docket.startWorker({ pollInterval: 50 });
  const job = await h.docket.enqueue(chargeCard, { order: 7, failFirst: true });
  failedId = job.id;
  await until(async () => (await h.docket.getJob(job.id))?.state === 'failed', 'the job to fail');
});

after(async () => {
  await worker?.stop();
  await h?.close();
});

async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

it('asks for a token, and says so when the server refuses it', async () => {
  const page = await h.open('#/');
  await page.getByLabel('API token').waitFor();
  await screenshot(page, 'sign-in');
  await signIn(page, 'not-a-token');
  await page.getByRole('alert').filter({ hasText: 'refused that token' }).waitFor();
  await page.close();
});

it('with the read-only token everything is visible and nothing can be changed', async () => {
  const page = await h.open(`#/jobs/${failedId}`);
  const calls: string[] = [];
  page.on('request', (r) => calls.push(`${r.method()} ${new URL(r.url()).pathname}`));
  await signIn(page, READ);
  await page.locator('.badge-readonly').waitFor();
  // The role comes from GET /v1/session, not from probing a write route.
  assert.ok(calls.includes('GET /v1/session'));
  assert.equal(
    calls.some((c) => c.startsWith('POST')),
    false,
  );
  await page.locator('.error-message', { hasText: 'card declined by upstream (402)' }).waitFor();
  await page.locator('.log-message', { hasText: 'charging order 7' }).waitFor();
  // Operators see stack traces: the read token is one.
  assert.match((await page.locator('.stack').first().textContent()) ?? '', /card declined[\s\S]*\n\s+at /);
  const retry = page.getByRole('button', { name: 'Retry', exact: true });
  assert.equal(await retry.isDisabled(), true);
  assert.equal(await page.getByRole('button', { name: 'Cancel', exact: true }).isDisabled(), true);
  await screenshot(page, 'job-read-only');

  // The API refuses too: the same request the button would send, with the token the page holds.
  const status = await page.evaluate(`fetch('/v1/jobs/${failedId}/retry', {
    method: 'POST',
    headers: { authorization: 'Bearer ' + sessionStorage.getItem('docket.token') },
  }).then((r) => r.status)`);
  assert.equal(status, 403);
  assert.equal((await h.docket.getJob(failedId))?.state, 'failed');

  await page.goto(`${h.url}/#/`);
  await page.locator('[data-queue="payments"]').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Pause queue payments' }).isDisabled(), true);
  await page.goto(`${h.url}/#/jobs`);
  await page.locator(`tbody tr[data-job="${failedId}"]`).waitFor();
  await page.getByLabel(`Select job ${failedId}`).check();
  assert.equal(await page.getByRole('button', { name: 'Retry selected' }).isDisabled(), true);
  await page.getByText('All matching…').click();
  for (const verb of ['Retry', 'Cancel', 'Delete']) {
    const item = page.getByRole('button', { name: `${verb} every job matching the filter` });
    assert.equal(await item.isDisabled(), true, `${verb} every job matching`);
  }
  // The bulk routes refuse the read token too.
  for (const action of ['retry', 'cancel', 'delete']) {
    const refused = await page.evaluate(`fetch('/v1/jobs:${action}', {
      method: 'POST',
      headers: { authorization: 'Bearer ' + sessionStorage.getItem('docket.token'), 'content-type': 'application/json' },
      body: JSON.stringify({ ids: ['${failedId}'] }),
    }).then((r) => r.status)`);
    assert.equal(refused, 403, `POST /v1/jobs:${action} with the read token`);
  }
  assert.equal((await h.docket.getJob(failedId))?.state, 'failed');
  await page.goto(`${h.url}/#/capacity`);
  await page.locator('[data-capacity="payments"]', { hasText: 'Recommended concurrency' }).waitFor();
  await screenshot(page, 'capacity-read-only');
  await page.close();
});

it('the token lasts for the tab; the admin token can retry', async () => {
  const page = await h.open('#/');
  await signIn(page, READ);
  await page.locator('.badge-readonly').waitFor();
  // A reload keeps the token (sessionStorage), so no prompt.
  await page.reload();
  await page.locator('.badge-readonly').waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, ADMIN);
  await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
  assert.equal(await page.locator('.badge-readonly').count(), 0);
  await page.goto(`${h.url}/#/jobs/${failedId}`);
  await page.getByRole('button', { name: 'Retry', exact: true }).click();
  await page.locator('article.job[data-state="completed"]').waitFor();
  assert.equal((await h.docket.getJob(failedId))?.state, 'completed');
  await page.close();
});

it('no page threw an error', () => {
  assert.deepEqual(h.pageErrors, []);
});

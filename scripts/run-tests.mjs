#!/usr/bin/env node
// Runs every test file under test/ (or the ones named on the command line)
// with Node's built-in runner through tsx, so CI reads node:test's summary.
// Files under test/serial/ disturb shared services (they restart PostgreSQL),
// so they run alone, after the rest. Node 20's `--test` does not expand
// globs itself, hence this small script.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('--'));
const flags = args.filter((a) => a.startsWith('--'));
const files = findTests('test')
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const isSerial = (f) => f.split(/[\\/]/).includes('serial');
const parallel = files.filter((f) => !isSerial(f));
const serial = files.filter(isSerial);

mkdirSync('test-output', { recursive: true });
const totals = { pass: 0, fail: 0, skipped: 0, todo: 0, cancelled: 0 };

function run(group, concurrency, name) {
  if (group.length === 0) return 0;
  const tap = join('test-output', `${name}-${process.pid}.tap`);
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${concurrency}`,
      '--test-timeout=600000',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...flags,
      ...group,
    ],
    { stdio: 'inherit' },
  );
  // The TAP file's closing lines carry the counts; add them up across groups.
  const text = readFileSync(tap, 'utf8');
  rmSync(tap, { force: true });
  for (const key of Object.keys(totals)) {
    const match = new RegExp(`^# ${key} (\\d+)$`, 'm').exec(text);
    if (match) totals[key] += Number(match[1]);
  }
  return result.status ?? 1;
}

const status = run(parallel, 2, 'parallel');
const serialStatus = run(serial, 1, 'serial');
const failed = totals.fail + totals.cancelled;
console.log(`\ntests: ${totals.pass} passed, ${failed} failed, ${totals.skipped + totals.todo} skipped`);
process.exit(status || serialStatus || (failed > 0 ? 1 : 0));

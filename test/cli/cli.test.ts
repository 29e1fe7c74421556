// The `docket` CLI as a user runs it: a real child process per command.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/tmp.js';

const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const tasks = fileURLToPath(new URL('./fixtures', import.meta.url));
const { dir, cleanup } = tempDir();
after(cleanup);
const store = `sqlite:${join(dir, 'cli.db')}`;

function docket(...args: string[]): { code: number; out: string; err: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', main, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DOCKET_STORE: store, DOCKET_TASKS: tasks },
  });
  return { code: result.status ?? -1, out: result.stdout, err: result.stderr };
}

describe('docket CLI', () => {
  it('migrates, enqueues, lists and shows jobs', () => {
    assert.equal(docket('migrate').code, 0);
    const enqueued = docket('enqueue', 'greet', '{"name":"Ada"}', '--key', 'ada', '--priority', '3');
    assert.equal(enqueued.code, 0, enqueued.err);
    const id = /job (\d+)/.exec(enqueued.out)?.[1];
    assert.ok(id, enqueued.out);
    const again = docket('enqueue', 'greet', '{"name":"Ada"}', '--key', 'ada');
    assert.match(again.out, new RegExp(`already enqueued job ${id}`));
    const list = docket('jobs');
    assert.equal(list.code, 0);
    assert.match(list.out, /ID\s+TASK\s+QUEUE\s+STATE/);
    assert.match(list.out, new RegExp(`${id}\\s+greet\\s+default\\s+available`));
    const status = docket('status', id!);
    assert.match(status.out, /input\s+\{"name":"Ada"\}/);
    const json = JSON.parse(docket('status', id!, '--json').out);
    assert.equal(json.priority, 3);
    assert.equal(docket('cancel', id!).code, 0);
    assert.match(docket('retry', id!).out, /available again/);
    assert.match(docket('queues').out, /default\s+no/);
  });

  it('refuses bad input with one clear line and a non-zero exit', () => {
    const cases: [string[], RegExp][] = [
      [['enqueue', 'greet', '{"name":'], /not valid JSON.*DOCKET_INVALID_INPUT/],
      [['enqueue', 'greet', '{"name":5}'], /name.*DOCKET_INVALID_INPUT/],
      [['enqueue', 'nope', '{}'], /unknown task "nope"; known tasks: greet/],
      [['enqueue', 'greet', '{"name":"x"}', '--delay', 'soon'], /delay "soon" is not a duration/],
      [['status', '999999'], /no job with id 999999/],
      [['jobs', '--state', 'weird'], /--state weird is not one of/],
      [['retry', '999999'], /DOCKET_NOT_FOUND/],
    ];
    for (const [args, message] of cases) {
      const result = docket(...args);
      assert.notEqual(result.code, 0, args.join(' '));
      assert.match(result.err, message, args.join(' '));
      assert.equal(result.err.trim().split('\n').length, 1, `one line for ${args.join(' ')}: ${result.err}`);
      assert.doesNotMatch(result.err, /\n\s+at /, 'no stack trace');
    }
  });

  it('prints help for every command', () => {
    const help = docket('--help');
    assert.equal(help.code, 0);
    for (const command of ['worker', 'enqueue', 'jobs', 'status', 'retry', 'cancel', 'migrate', 'queues']) {
      assert.match(help.out, new RegExp(`\\b${command}\\b`));
      assert.equal(docket(command, '--help').code, 0, command);
    }
  });
});

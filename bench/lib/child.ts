// The entry of every child process: loads one adapter and one scenario role, runs it, reports over IPC.
import { readdirSync, writeFileSync } from 'node:fs';
import { findSourceMap } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { systemByName } from './config.ts';
import type { ChildMessage, ChildTask } from './spawn.ts';
import type { Namespace, SystemAdapter } from './types.ts';

/** What a role gets from its child process besides the adapter. */
export interface RoleContext {
  adapter: SystemAdapter;
  ns: Namespace;
  params: Record<string, unknown>;
  /** Tells the parent something (e.g. 'ready'). */
  tell(type: string, data?: unknown): void;
  /** Waits for the parent's next message of this type. */
  hear(type: string): Promise<ChildMessage>;
}

export type Role = (ctx: RoleContext) => Promise<unknown>;

const inbox: ChildMessage[] = [];
const listeners: { type: string; resolve: (m: ChildMessage) => void }[] = [];
process.on('message', (message: ChildMessage) => {
  const index = listeners.findIndex((l) => l.type === message.type);
  if (index >= 0) listeners.splice(index, 1)[0]!.resolve(message);
  else inbox.push(message);
});

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => process.send!(message, () => resolve()));
}

async function main(): Promise<void> {
  const task = JSON.parse(process.env.BENCH_CHILD ?? '{}') as ChildTask;
  const info = systemByName(task.system);
  const { makeAdapter } = (await import(`../adapters/${info.module}`)) as {
    makeAdapter: (system: string) => SystemAdapter;
  };
  const [file, roleName] = task.role.split(':');
  const { roles } = (await import(`../scenarios/${file}.ts`)) as { roles: Record<string, Role> };
  const role = roles[roleName!];
  if (!role) throw new Error(`no role ${task.role}`);
  const result = await role({
    adapter: makeAdapter(task.system),
    ns: task.ns,
    params: task.params,
    tell: (type, data) => void send({ type, data }),
    hear: (type) => {
      const queued = inbox.findIndex((m) => m.type === type);
      if (queued >= 0) return Promise.resolve(inbox.splice(queued, 1)[0]!);
      return new Promise((resolve) => listeners.push({ type, resolve }));
    },
  });
  saveSourceMaps();
  await send({ type: 'result', data: result });
}

/**
 * tsx compiles each module to one line, so a CPU profile's positions mean nothing without the source
 * maps; when profiling, keep the maps of Docket's modules beside the profile (see report/profile.ts).
 */
function saveSourceMaps(): void {
  const file = process.env.BENCH_SOURCE_MAPS;
  if (!file) return;
  const src = join(import.meta.dirname, '..', '..', 'src');
  const maps: Record<string, unknown> = {};
  for (const entry of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.ts')) continue;
    const url = pathToFileURL(join(src, entry)).href;
    const map = findSourceMap(url);
    if (map) maps[url] = map.payload;
  }
  writeFileSync(file, JSON.stringify(maps));
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    const text = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
    await send({ type: 'error', data: text.slice(0, 2000) }).catch(() => {});
    process.exit(1);
  },
);

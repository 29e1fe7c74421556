import { readdir, stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DocketError } from './errors.js';
import type { AnyTask, Task } from './task.js';

/** Where tasks come from: task objects, or a directory whose modules each export a task (default or named). */
export type TaskSource = AnyTask[] | Record<string, AnyTask> | string;

/** Maps task names to their definitions. One per Docket instance. */
export class TaskRegistry {
  private readonly tasks = new Map<string, AnyTask>();

  /** Adds a task; a second task with the same name is an error. */
  add(task: AnyTask): void {
    const existing = this.tasks.get(task.name);
    if (existing && existing.run !== task.run) {
      throw new DocketError('DOCKET_INVALID_ARGUMENT', `two tasks are named "${task.name}"`, {
        details: { field: 'name', task: task.name },
      });
    }
    this.tasks.set(task.name, task);
  }

  /** The task named `name`, or DOCKET_UNKNOWN_TASK listing the known ones. */
  get(name: string): AnyTask {
    const task = this.tasks.get(name);
    if (!task) {
      const known = this.names();
      throw new DocketError(
        'DOCKET_UNKNOWN_TASK',
        `unknown task "${name}"; known tasks: ${known.length ? known.join(', ') : '(none registered)'}`,
        { details: { task: name, known } },
      );
    }
    return task;
  }

  has(name: string): boolean {
    return this.tasks.has(name);
  }

  names(): string[] {
    return [...this.tasks.keys()].sort();
  }

  all(): AnyTask[] {
    return [...this.tasks.values()];
  }

  /** Loads tasks from objects, or from every .js/.ts/.mjs module in a directory. */
  async load(source: TaskSource): Promise<void> {
    if (typeof source !== 'string') {
      for (const task of Array.isArray(source) ? source : Object.values(source)) this.add(task);
      return;
    }
    const dir = resolve(source);
    let files: string[];
    try {
      files = (await readdir(dir)).sort();
    } catch (cause) {
      throw new DocketError('DOCKET_TASK_LOAD_FAILED', `cannot read the tasks directory ${dir}`, { cause });
    }
    for (const file of files) {
      if (!['.js', '.mjs', '.ts', '.mts'].includes(extname(file)) || file.endsWith('.d.ts')) continue;
      const path = resolve(dir, file);
      if (!(await stat(path)).isFile()) continue;
      let mod: Record<string, unknown>;
      try {
        mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
      } catch (cause) {
        throw new DocketError(
          'DOCKET_TASK_LOAD_FAILED',
          `cannot load task module ${path}: ${String(cause)}`,
          {
            cause,
          },
        );
      }
      for (const value of Object.values(mod)) if (isTask(value)) this.add({ ...value, module: path });
    }
  }
}

/** True for a value made by defineTask. */
export function isTask(value: unknown): value is AnyTask {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Task).name === 'string' &&
    typeof (value as Task).run === 'function' &&
    typeof (value as Task).maxAttempts === 'number'
  );
}

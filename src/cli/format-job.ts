import { formatMs } from '../duration.js';
import type { Job } from '../job.js';
import type { HoldReason, StoredLogLine } from '../store/store.js';
import { table } from './output.js';

/** A time for people: ISO without milliseconds. */
export function when(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** One line per job for `docket jobs`. */
export function jobsTable(jobs: Job[], holds: Record<string, HoldReason[]> = {}): string {
  return table(
    ['ID', 'TASK', 'QUEUE', 'STATE', 'ATTEMPT', 'RUN AT', 'FINISHED', 'LAST ERROR / HELD BY'],
    jobs.map((job) => [
      job.id,
      job.task,
      job.queue,
      job.state + (job.cancelRequested && job.state === 'active' ? ' (cancelling)' : ''),
      `${job.attempt}/${job.maxAttempts}`,
      when(job.runAt),
      when(job.finishedAt),
      holds[job.id]?.map((h) => h.message).join('; ') || (job.errors.at(-1)?.message.slice(0, 60) ?? ''),
    ]),
  );
}

/** Everything about one job for `docket status`. */
export function jobDetails(job: Job, logs: StoredLogLine[]): string {
  const lines = [
    `job ${job.id}  ${job.task}  [${job.state}]`,
    `queue      ${job.queue}   priority ${job.priority}   attempt ${job.attempt}/${job.maxAttempts}`,
    `key        ${job.key ?? '-'}`,
    `created    ${when(job.createdAt)}   run at ${when(job.runAt)}`,
    `started    ${when(job.startedAt) || '-'}   finished ${when(job.finishedAt) || '-'}`,
  ];
  if (job.startedAt !== null && job.finishedAt !== null)
    lines.push(`took       ${formatMs(job.finishedAt - job.startedAt)}`);
  if (job.workerId) lines.push(`worker     ${job.workerId}`);
  lines.push(`input      ${JSON.stringify(job.input)}`);
  if (job.progress !== null) lines.push(`progress   ${JSON.stringify(job.progress)}`);
  if (job.result !== null) lines.push(`result     ${JSON.stringify(job.result)}`);
  for (const error of job.errors) {
    lines.push(
      `error #${error.attempt} ${when(error.at)} ${error.code ? `${error.code}: ` : ''}${error.message}`,
    );
  }
  if (logs.length > 0) {
    lines.push('logs:');
    for (const log of logs)
      lines.push(`  ${when(log.at)} #${log.attempt} ${log.level.padEnd(5)} ${log.message}`);
  }
  return lines.join('\n');
}

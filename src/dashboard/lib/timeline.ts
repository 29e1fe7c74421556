import type { ApiJob } from '../../http-client/wire.js';

/** One line of a job's timeline. */
export interface TimelineEntry {
  at: number;
  /** e.g. `Attempt 2 started`. */
  text: string;
  tone: 'neutral' | 'good' | 'bad' | 'future';
  /** Seen live by this tab rather than read from the job. */
  live?: boolean;
}

/** A change seen or made by this tab, for the timeline. */
export interface LocalEvent {
  at: number;
  text: string;
}

/**
 * A job's state changes, oldest first. The API keeps no history of a
 * job's states, so this is pieced together from its times (created,
 * started, finished, each failed attempt) and from what this tab saw
 * happen or did itself (a retry, a cancel).
 */
export function timelineOf(job: ApiJob, local: LocalEvent[], now: number): TimelineEntry[] {
  const entries: TimelineEntry[] = [{ at: job.createdAt, text: `Enqueued on ${job.queue}`, tone: 'neutral' }];
  if (job.attempt === 0 && job.runAt > job.createdAt + 1000) {
    entries.push({
      at: job.runAt,
      text: job.runAt > now ? 'Due to run' : 'Became due',
      tone: job.runAt > now ? 'future' : 'neutral',
    });
  }
  for (const error of job.errors) {
    entries.push({
      at: error.at,
      text: `Attempt ${error.attempt} failed: ${error.message}`,
      tone: 'bad',
    });
  }
  if (job.startedAt !== null && job.attempt > 0) {
    entries.push({ at: job.startedAt, text: `Attempt ${job.attempt} started`, tone: 'neutral' });
  }
  if (job.state === 'scheduled' && job.attempt > 0) {
    entries.push({ at: job.runAt, text: `Attempt ${job.attempt + 1} due (backoff)`, tone: 'future' });
  }
  if (job.finishedAt !== null && (job.state === 'completed' || job.state === 'cancelled')) {
    entries.push({
      at: job.finishedAt,
      text: job.state === 'completed' ? 'Completed' : 'Cancelled',
      tone: job.state === 'completed' ? 'good' : 'neutral',
    });
  }
  if (job.state === 'failed' && job.finishedAt !== null) {
    entries.push({ at: job.finishedAt, text: 'Failed: no attempts left', tone: 'bad' });
  }
  for (const event of local) entries.push({ at: event.at, text: event.text, tone: 'neutral', live: true });
  return entries.sort((a, b) => a.at - b.at);
}

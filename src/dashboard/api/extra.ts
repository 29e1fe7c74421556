// Routes the typed client does not cover yet (schedules).
import type { ApiJob } from '../../http-client/wire.js';
import { request } from './http.js';

/** A schedule as `GET /v1/schedules` returns it (the fields the page uses). */
export interface ApiSchedule {
  name: string;
  cron: string | null;
  everyMs: number | null;
  tz: string;
  job: { task: string; queue: string };
  paused: boolean;
  missed?: string;
  overlap?: string;
  lastTick?: number | null;
  lastJobId: string | null;
  lastRunAt: number | null;
  nextRunAt: number | null;
  /** With `?next=N`: the next N run times, as the scheduler computes them. */
  nextRuns?: number[];
}

/** Every schedule, each with its next `next` run times. */
export async function listSchedules(next = 3): Promise<ApiSchedule[]> {
  return (await request<{ schedules: ApiSchedule[] }>('GET', `/v1/schedules?next=${next}`)).schedules;
}

/** Pauses, resumes or triggers (runs now) a schedule. */
export function scheduleAction(name: string, action: 'pause' | 'resume' | 'trigger'): Promise<unknown> {
  return request('POST', `/v1/schedules/${encodeURIComponent(name)}/${action}`);
}

/** The job a schedule ran last, or null when it is gone (pruned). */
export async function lastJob(id: string): Promise<ApiJob | null> {
  try {
    return await request<ApiJob>('GET', `/v1/jobs/${encodeURIComponent(id)}`);
  } catch {
    return null;
  }
}

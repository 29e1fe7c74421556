import { useState } from 'preact/hooks';
import type { ApiJob } from '../../../http-client/wire.js';
import { type ApiSchedule, lastJob, listSchedules, scheduleAction } from '../../api/extra.js';
import { describeError, isMissingRoute } from '../../api/http.js';
import { ActionButton } from '../../components/action-button.js';
import { Empty, Notice } from '../../components/notice.js';
import { StateBadge } from '../../components/state-badge.js';
import { cronInWords, intervalInWords } from '../../lib/cron-words.js';
import { dateTime, relative, shortDateTime } from '../../lib/format.js';
import { useNow } from '../../lib/now.js';
import { usePoll } from '../../live/use-poll.js';

interface Row {
  schedule: ApiSchedule;
  last: ApiJob | null;
}

async function load(): Promise<Row[]> {
  const schedules = await listSchedules();
  const last = await Promise.all(
    schedules.map((s) => (s.lastJobId ? lastJob(s.lastJobId) : Promise.resolve(null))),
  );
  return schedules.map((schedule, i) => ({ schedule, last: last[i] ?? null }));
}

function when(schedule: ApiSchedule): { words: string; raw: string } {
  if (schedule.everyMs !== null)
    return { words: intervalInWords(schedule.everyMs), raw: `every ${schedule.everyMs} ms` };
  const raw = schedule.cron ?? '';
  return { words: cronInWords(raw) ?? raw, raw };
}

function ScheduleCard({
  row,
  now,
  onChanged,
  onError,
}: {
  row: Row;
  now: number;
  onChanged: () => void;
  onError: (m: string) => void;
}) {
  const { schedule, last } = row;
  const { words, raw } = when(schedule);
  const upcoming = schedule.paused ? [] : (schedule.nextRuns ?? []);
  return (
    <article
      class="card schedule"
      data-schedule={schedule.name}
      aria-labelledby={`schedule-${schedule.name}`}
    >
      <header class="card-head">
        <h2 id={`schedule-${schedule.name}`} class="queue-name">
          {schedule.name}
        </h2>
        <span class={`badge ${schedule.paused ? 'badge-paused' : 'badge-running'}`}>
          {schedule.paused ? 'paused' : 'active'}
        </span>
        <span class="spacer" />
        <div class="actions">
          <ActionButton
            label={`${schedule.paused ? 'Resume' : 'Pause'} schedule ${schedule.name}`}
            onError={onError}
            action={async () => {
              await scheduleAction(schedule.name, schedule.paused ? 'resume' : 'pause');
              onChanged();
            }}
          >
            {schedule.paused ? 'Resume' : 'Pause'}
          </ActionButton>
          <ActionButton
            label={`Run schedule ${schedule.name} now`}
            onError={onError}
            action={async () => {
              await scheduleAction(schedule.name, 'trigger');
              onChanged();
            }}
          >
            Run now
          </ActionButton>
        </div>
      </header>
      <dl class="stats">
        <div class="stat wide">
          <dt>When</dt>
          <dd>
            {words} <span class="muted mono">{raw !== words ? `(${raw})` : ''}</span>
          </dd>
        </div>
        <div class="stat">
          <dt>Time zone</dt>
          <dd>{schedule.tz}</dd>
        </div>
        <div class="stat">
          <dt>Enqueues</dt>
          <dd>
            {schedule.job.task} on {schedule.job.queue}
          </dd>
        </div>
        <div class="stat wide">
          <dt>Next runs</dt>
          <dd>
            {schedule.paused
              ? 'none while paused'
              : upcoming.length
                ? upcoming.map((at) => (
                    <span key={at} class="next-run" title={dateTime(at)}>
                      {shortDateTime(at)} <span class="muted">({relative(at, now)})</span>
                    </span>
                  ))
                : schedule.nextRunAt
                  ? relative(schedule.nextRunAt, now)
                  : '—'}
          </dd>
        </div>
        <div class="stat wide">
          <dt>Last run</dt>
          <dd>
            {schedule.lastRunAt === null ? (
              'never'
            ) : (
              <>
                <span title={dateTime(schedule.lastRunAt)}>{relative(schedule.lastRunAt, now)}</span>{' '}
                {schedule.lastJobId && (
                  <a href={`#/jobs/${encodeURIComponent(schedule.lastJobId)}`}>
                    {last ? <StateBadge state={last.state} /> : 'job pruned'}
                  </a>
                )}
              </>
            )}
          </dd>
        </div>
      </dl>
    </article>
  );
}

/** Schedules: when each fires (in words), next and last runs; pause, resume, run now. */
export function SchedulesPage() {
  const rows = usePoll(load, 5000);
  const now = useNow();
  const [error, setError] = useState<string | null>(null);
  const missing = isMissingRoute(rows.error);
  return (
    <>
      <div class="page-head">
        <h1>Schedules</h1>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
      {missing ? (
        <Empty title="Schedules are not available yet">
          This server has no <code>GET /v1/schedules</code> route. Schedules still run; list them with{' '}
          <code>docket schedules</code> or <code>docket.listSchedules()</code>.
        </Empty>
      ) : rows.error !== undefined && !rows.data ? (
        <Notice kind="error">Could not load schedules: {describeError(rows.error)}</Notice>
      ) : !rows.data ? (
        <p class="muted">Loading schedules…</p>
      ) : rows.data.length === 0 ? (
        <Empty title="No schedules">Declare one with docket.schedule(name, {'{ cron, task }'}).</Empty>
      ) : (
        <div class="schedule-list">
          {rows.data.map((row) => (
            <ScheduleCard
              key={row.schedule.name}
              row={row}
              now={now}
              onChanged={rows.refresh}
              onError={setError}
            />
          ))}
        </div>
      )}
    </>
  );
}

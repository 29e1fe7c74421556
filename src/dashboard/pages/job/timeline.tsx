import type { ApiJob } from '../../../http-client/wire.js';
import { clock, dateTime } from '../../lib/format.js';
import { type LocalEvent, timelineOf } from '../../lib/timeline.js';

/** The job's state changes, oldest first. */
export function Timeline({ job, local, now }: { job: ApiJob; local: LocalEvent[]; now: number }) {
  const entries = timelineOf(job, local, now);
  return (
    <ol class="timeline">
      {entries.map((entry, i) => (
        <li key={`${entry.at}-${i}`} class={`timeline-item tone-${entry.tone}`}>
          <time dateTime={new Date(entry.at).toISOString()} title={dateTime(entry.at)}>
            {clock(entry.at)}
          </time>
          <span>
            {entry.text}
            {entry.live && <span class="muted"> (this tab)</span>}
          </span>
        </li>
      ))}
    </ol>
  );
}

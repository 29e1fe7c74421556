import type { ApiLogLine } from '../../../http-client/wire.js';
import { clock, dateTime } from '../../lib/format.js';

/** The job's log lines, oldest first; new lines arrive live. */
export function Logs({ lines }: { lines: ApiLogLine[] }) {
  if (lines.length === 0) return <p class="muted">No log lines.</p>;
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: the log may scroll, so it takes focus for the keyboard
    <div class="logs" role="log" aria-label="Job log" tabIndex={0}>
      {lines.map((line) => (
        <div key={line.seq} class={`log-line level-${line.level}`}>
          <time title={dateTime(line.at)}>{clock(line.at)}</time>
          <span class="log-attempt" title={`attempt ${line.attempt}`}>
            #{line.attempt}
          </span>
          <span class="log-level">{line.level}</span>
          <span class="log-message">{line.message}</span>
        </div>
      ))}
    </div>
  );
}

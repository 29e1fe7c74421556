import { readProgress } from '../lib/progress.js';
import { JsonBlock } from './json-block.js';

/** A job's progress: a bar when it reads as "how far", otherwise its JSON. */
export function ProgressBar({ progress, active }: { progress: unknown; active: boolean }) {
  const reading = readProgress(progress);
  if (!reading) {
    if (progress === null || progress === undefined) {
      return <p class="muted">{active ? 'Running; no progress reported yet.' : 'No progress reported.'}</p>;
    }
    return <JsonBlock value={progress} label="Progress" />;
  }
  const percent = Math.round(reading.fraction * 100);
  return (
    <div class="progress">
      <div
        class={`progress-track${active ? ' is-active' : ''}`}
        role="progressbar"
        aria-label="Job progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={reading.label}
      >
        <div class="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <span class="progress-label">{reading.label}</span>
    </div>
  );
}

import { json } from '../lib/format.js';

/** A JSON value, pretty-printed in a scrollable block; `label` names it for tests and tools (the page's heading names it for people). */
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a block that may scroll takes focus, so the keyboard can scroll it
    <pre class="code" data-json={label.toLowerCase()} tabIndex={0}>
      {value === null || value === undefined ? <span class="muted">null</span> : json(value)}
    </pre>
  );
}

// Numbers, durations and times as people read them.

const integer = new Intl.NumberFormat('en');

/** 12,345 */
export function count(n: number): string {
  return integer.format(n);
}

/** A duration in ms as `850 ms`, `4.2 s`, `3 min 20 s`, `2 h 5 min`, `3 d 4 h`. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const total = Math.round(s);
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  if (d > 0) return `${d} d${h ? ` ${h} h` : ''}`;
  if (h > 0) return `${h} h${m ? ` ${m} min` : ''}`;
  return `${m} min${sec ? ` ${sec} s` : ''}`;
}

/** How long ago (or from now): `12 s ago`, `in 3 min`. */
export function relative(at: number, now = Date.now()): string {
  const diff = at - now;
  if (Math.abs(diff) < 1000) return 'now';
  return diff < 0 ? `${duration(-diff)} ago` : `in ${duration(diff)}`;
}

const timeFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** A local date and time. */
export function dateTime(at: number): string {
  return timeFormat.format(at);
}

const shortFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** A local date and time in brief: `Tue, Jun 3, 02:00`. */
export function shortDateTime(at: number): string {
  return shortFormat.format(at);
}

/** Time of day with milliseconds, for log lines and timelines. */
export function clock(at: number): string {
  const d = new Date(at);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** A job id shortened for tables (the full id is in the title and the job page). */
export function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 6)}…${id.slice(-4)}` : id;
}

/** Any JSON value as indented text. */
export function json(value: unknown): string {
  if (value === undefined) return '—';
  return JSON.stringify(value, null, 2) ?? String(value);
}

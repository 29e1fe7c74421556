// Cron expressions in words, for the common shapes; anything else is shown
// as the expression itself (a wrong description is worse than none).

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const NICKNAMES: Record<string, string> = {
  '@yearly': 'Every year on 1 January at 00:00',
  '@annually': 'Every year on 1 January at 00:00',
  '@monthly': 'On the 1st of every month at 00:00',
  '@weekly': 'Every Sunday at 00:00',
  '@daily': 'Every day at 00:00',
  '@midnight': 'Every day at 00:00',
  '@hourly': 'Every hour, on the hour',
};

const isNum = (s: string) => /^\d+$/.test(s);
const pad = (s: string) => s.padStart(2, '0');

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

/** A list or range of day-of-week numbers in words, or null. */
function days(field: string): string | null {
  if (field === '1-5') return 'Monday to Friday';
  if (field === '0,6' || field === '6,0') return 'Saturday and Sunday';
  const range = /^(\d)-(\d)$/.exec(field);
  if (range) return `${DAYS[Number(range[1]) % 7]} to ${DAYS[Number(range[2]) % 7]}`;
  if (/^\d(,\d)*$/.test(field)) {
    const names = field.split(',').map((d) => DAYS[Number(d) % 7]!);
    return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  }
  return null;
}

/** Describes a 5- or 6-field cron expression (or a nickname); null when it is not a shape we know. */
export function cronInWords(expression: string): string | null {
  const text = expression.trim().toLowerCase();
  if (NICKNAMES[text]) return NICKNAMES[text]!;
  let fields = text.split(/\s+/);
  if (fields.length === 6) {
    if (fields[0] !== '0') return null; // seconds other than 0: leave as is
    fields = fields.slice(1);
  }
  if (fields.length !== 5) return null;
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];

  const step = /^\*\/(\d+)$/;
  if (hour === '*' && dom === '*' && month === '*' && dow === '*') {
    if (minute === '*') return 'Every minute';
    const m = step.exec(minute);
    if (m) return `Every ${m[1]} minutes`;
    if (isNum(minute)) return minute === '0' ? 'Every hour, on the hour' : `Every hour at minute ${minute}`;
    return null;
  }
  const h = step.exec(hour);
  if (h && isNum(minute) && dom === '*' && month === '*' && dow === '*') {
    return `Every ${h[1]} hours at minute ${minute}`;
  }
  if (!isNum(minute) || !/^\d+(,\d+)*$/.test(hour)) return null;
  const times = hour
    .split(',')
    .map((x) => `${pad(x)}:${pad(minute)}`)
    .join(', ');
  if (dom === '*' && month === '*') {
    if (dow === '*') return `Every day at ${times}`;
    const d = days(dow);
    return d ? `${d} at ${times}` : null;
  }
  if (isNum(dom) && dow === '*') {
    if (month === '*') return `On the ${ordinal(Number(dom))} of every month at ${times}`;
    if (isNum(month)) return `Every year on ${dom} ${MONTHS[Number(month) - 1] ?? month} at ${times}`;
  }
  return null;
}

/** A fixed interval in words: `every 5 minutes`. */
export function intervalInWords(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return n === 1 ? `Every ${name}` : `Every ${n} ${name}s`;
    }
  }
  return `Every ${ms} ms`;
}

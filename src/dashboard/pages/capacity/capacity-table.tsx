import { json } from '../../lib/format.js';

/** A header from a field name: `recommendedConcurrency` → `recommended concurrency`. */
function words(key: string): string {
  return key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]/g, ' ')
    .toLowerCase();
}

function cell(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(2);
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '—';
  return JSON.stringify(value);
}

/**
 * The capacity report. Its shape belongs to the capacity issue and is not
 * fixed yet, so rows are read loosely: an array of per-queue objects
 * (at the top or under `queues`) becomes a table with a column per field;
 * anything else is shown as JSON.
 */
export function CapacityTable({ data }: { data: unknown }) {
  const rows = Array.isArray(data)
    ? data
    : typeof data === 'object' && data !== null && Array.isArray((data as { queues?: unknown }).queues)
      ? (data as { queues: unknown[] }).queues
      : null;
  if (!rows?.every((r) => typeof r === 'object' && r !== null)) {
    return <pre class="code">{json(data)}</pre>;
  }
  const records = rows as Record<string, unknown>[];
  const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
  return (
    <div class="table-wrap">
      <table class="table">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {words(c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {records.map((record, i) => (
            <tr key={String(record.queue ?? record.name ?? i)}>
              {columns.map((c) => (
                <td key={c} data-label={words(c)}>
                  {cell(record[c])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

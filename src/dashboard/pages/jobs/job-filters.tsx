import { useEffect, useState } from 'preact/hooks';
import type { ApiJobState } from '../../../http-client/wire.js';
import { href, navigate } from '../../lib/router.js';

const STATES: ApiJobState[] = ['available', 'scheduled', 'active', 'completed', 'failed', 'cancelled'];

/** The list's filters, as they are in the URL. */
export interface Filters {
  state: string;
  queue: string;
  task: string;
  /** Search: a job id, a unique key, or text in the input. */
  q: string;
}

/** Reads the filters from the route's query. */
export function filtersOf(query: URLSearchParams): Filters {
  return {
    state: query.get('state') ?? '',
    queue: query.get('queue') ?? '',
    task: query.get('task') ?? '',
    q: query.get('q') ?? '',
  };
}

function go(filters: Filters): void {
  navigate(href('/jobs', { ...filters }), true);
}

/** State, queue and task filters, and a search by id, key or text in the input; all kept in the URL, so a view can be shared. */
export function JobFilters({
  filters,
  queues,
  tasks,
}: {
  filters: Filters;
  queues: string[];
  tasks: string[];
}) {
  const [task, setTask] = useState(filters.task);
  const [q, setQ] = useState(filters.q);
  useEffect(() => setTask(filters.task), [filters.task]);
  useEffect(() => setQ(filters.q), [filters.q]);
  // A shared link may filter by several states (state=failed,cancelled): keep it selectable.
  const customState = filters.state !== '' && !STATES.includes(filters.state as ApiJobState);
  return (
    <div class="filters">
      <search class="search">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            go({ ...filters, q: q.trim() });
          }}
        >
          <label for="job-search">Find a job</label>
          <div class="input-row">
            <input
              id="job-search"
              type="search"
              placeholder="Job id, key, or text in the input"
              value={q}
              onInput={(event) => setQ(event.currentTarget.value)}
            />
            <button type="submit" class="button">
              Search
            </button>
          </div>
        </form>
      </search>
      <div class="filter">
        <label for="filter-state">State</label>
        <select
          id="filter-state"
          value={filters.state}
          onChange={(event) => go({ ...filters, state: event.currentTarget.value, q: '' })}
        >
          <option value="">Any state</option>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
          {customState && <option value={filters.state}>{filters.state.replaceAll(',', ', ')}</option>}
        </select>
      </div>
      <div class="filter">
        <label for="filter-queue">Queue</label>
        <select
          id="filter-queue"
          value={filters.queue}
          onChange={(event) => go({ ...filters, queue: event.currentTarget.value, q: '' })}
        >
          <option value="">Any queue</option>
          {[...new Set([...queues, filters.queue].filter(Boolean))].map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <form
        class="filter"
        onSubmit={(event) => {
          event.preventDefault();
          go({ ...filters, task: task.trim(), q: '' });
        }}
      >
        <label for="filter-task">Task</label>
        <input
          id="filter-task"
          list="known-tasks"
          placeholder="Any task"
          value={task}
          onInput={(event) => setTask(event.currentTarget.value)}
          onChange={(event) => go({ ...filters, task: event.currentTarget.value.trim(), q: '' })}
        />
        <datalist id="known-tasks">
          {tasks.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      </form>
    </div>
  );
}

import { useEffect, useState } from 'preact/hooks';
import type { ApiJob, ApiJobState } from '../../../http-client/wire.js';
import { api, describeError } from '../../api/http.js';
import { Empty, Notice } from '../../components/notice.js';
import type { JobFilter } from '../../lib/bulk.js';
import { useNow } from '../../lib/now.js';
import { href, navigate } from '../../lib/router.js';
import { useStore } from '../../lib/store.js';
import { queueFeed } from '../../live/queue-feed.js';
import { usePoll } from '../../live/use-poll.js';
import { BulkBar } from './bulk-bar.js';
import { type Filters, filtersOf, JobFilters } from './job-filters.js';
import { JobTable } from './job-table.js';
import { searchJobs } from './search.js';

const PAGE_SIZE = 50;

function describe(filters: Filters): string {
  const parts = [
    filters.state && `state ${filters.state.replaceAll(',', ' or ')}`,
    filters.queue && `queue ${filters.queue}`,
    filters.task && `task ${filters.task}`,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no filter (every job)';
}

/** The job list: filters, search, cursor paging, selection and bulk actions; refreshed live. */
export function JobsPage({ query }: { query: URLSearchParams }) {
  const filters = filtersOf(query);
  const key = JSON.stringify(filters);
  // cursors[n] opens page n; the API pages forwards only, so earlier cursors are kept to go back.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState(0);
  const [selected, setSelected] = useState<Map<string, ApiJob>>(new Map());
  const snapshot = useStore(queueFeed);
  const now = useNow();

  useEffect(() => {
    setCursors([undefined]);
    setPage(0);
    setSelected(new Map());
  }, [key]);

  const list = usePoll(
    () =>
      filters.q
        ? searchJobs(filters.q)
        : api().listJobs({
            ...(filters.state ? { state: filters.state.split(',') as ApiJobState[] } : {}),
            ...(filters.queue ? { queue: filters.queue } : {}),
            ...(filters.task ? { task: filters.task } : {}),
            limit: PAGE_SIZE,
            ...(cursors[page] ? { cursor: cursors[page] } : {}),
          }),
    2000,
    `${key}|${page}`,
  );
  const jobs = list.data?.jobs;

  // Selected jobs keep their latest state, so bulk eligibility is judged on what is true now.
  useEffect(() => {
    if (!jobs) return;
    setSelected((current) => {
      if (!jobs.some((job) => current.has(job.id))) return current;
      const next = new Map(current);
      for (const job of jobs) if (next.has(job.id)) next.set(job.id, job);
      return next;
    });
  }, [jobs]);

  const toggle = (job: ApiJob, on: boolean) =>
    setSelected((current) => {
      const next = new Map(current);
      if (on) next.set(job.id, job);
      else next.delete(job.id);
      return next;
    });
  const toggleAll = (on: boolean) =>
    setSelected((current) => {
      const next = new Map(current);
      for (const job of jobs ?? []) {
        if (on) next.set(job.id, job);
        else next.delete(job.id);
      }
      return next;
    });
  const filter: JobFilter = {
    ...(filters.state ? { state: filters.state.split(',') as ApiJobState[] } : {}),
    ...(filters.queue ? { queue: filters.queue } : {}),
    ...(filters.task ? { task: filters.task } : {}),
  };
  const tasks = [...new Set((jobs ?? []).map((j) => j.task))].sort();
  const nextCursor = list.data?.nextCursor ?? null;

  return (
    <>
      <div class="page-head">
        <h1>Jobs</h1>
      </div>
      <JobFilters filters={filters} queues={(snapshot?.queues ?? []).map((q) => q.name)} tasks={tasks} />
      {filters.q && (
        <Notice>
          Jobs with the id or key <strong class="mono">{filters.q}</strong>, or with it in their input.{' '}
          <a href={href('/jobs', { ...filters, q: undefined })}>Clear the search</a>
        </Notice>
      )}
      <BulkBar
        selected={selected}
        filter={filter}
        filterText={describe(filters)}
        searching={filters.q !== ''}
        onDone={() => {
          setSelected(new Map());
          list.refresh();
        }}
      />
      {list.error !== undefined && (
        <Notice kind="error">Could not load jobs: {describeError(list.error)}</Notice>
      )}
      {jobs === undefined ? (
        <p class="muted">Loading jobs…</p>
      ) : jobs.length === 0 ? (
        <Empty title={filters.q ? 'No job has that id or key, or that text in its input' : 'No jobs match'}>
          {!filters.q && (filters.state || filters.queue || filters.task) && (
            <button type="button" class="button" onClick={() => navigate('#/jobs')}>
              Clear the filters
            </button>
          )}
        </Empty>
      ) : (
        <JobTable jobs={jobs} selected={selected} onToggle={toggle} onToggleAll={toggleAll} now={now} />
      )}
      {!filters.q && (
        <nav class="pager" aria-label="Pages of jobs">
          <button type="button" class="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
            ← Newer
          </button>
          <span class="muted">Page {page + 1}</span>
          <button
            type="button"
            class="button"
            disabled={nextCursor === null}
            onClick={() => {
              setCursors((c) => [...c.slice(0, page + 1), nextCursor ?? undefined]);
              setPage(page + 1);
            }}
          >
            Older →
          </button>
        </nav>
      )}
    </>
  );
}

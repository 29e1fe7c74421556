-- SQLite only: the checks of the job and log tables and the partial
-- indexes' conditions name their values with = and OR instead of IN lists. Same rules, cheaper to
-- keep: SQLite evaluates a list of more than two constants by building a
-- small lookup table each time a statement runs, and a check or an index
-- condition runs for every row a statement writes. Measured on a table of
-- this shape (bench/enqueue-cost.ts, and loops of one-row inserts and
-- 500-row updates): the two IN checks cost about 6 µs of a one-row insert's
-- 10, and about a fifth of a claim's and of a completion's time per job.
--
-- SQLite cannot change a table's checks in place, so both tables are made
-- anew: the rows are copied with their ids, and every index is made again
-- (the ones whose conditions change here, and the others as they were).
-- Statements that read through a partial index repeat its condition word for
-- word (queries.sql: unfinishedByKey, prune), as SQLite's planner needs.
CREATE TABLE docket_jobs_new (
  id INTEGER PRIMARY KEY,
  task TEXT NOT NULL,
  queue TEXT NOT NULL,
  state TEXT NOT NULL CHECK (
    state = 'scheduled' OR state = 'available' OR state = 'active'
    OR state = 'completed' OR state = 'failed' OR state = 'cancelled'
  ),
  input TEXT NOT NULL,
  priority INTEGER NOT NULL DEFAULT 0,
  run_at INTEGER NOT NULL,
  attempt INTEGER NOT NULL DEFAULT 0 CHECK (attempt >= 0),
  max_attempts INTEGER NOT NULL CHECK (max_attempts >= 1),
  key TEXT,
  timeout_ms INTEGER,
  progress TEXT,
  result TEXT,
  errors TEXT NOT NULL DEFAULT '[]',
  worker_id TEXT,
  lease_expires_at INTEGER,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  trace_context TEXT,
  group_key TEXT CHECK (group_key IS NULL OR length(group_key) BETWEEN 1 AND 256),
  ready_at INTEGER,
  CHECK ((state = 'active') = (lease_expires_at IS NOT NULL AND worker_id IS NOT NULL)),
  CHECK ((state = 'completed' OR state = 'failed' OR state = 'cancelled') = (finished_at IS NOT NULL)),
  CHECK (state <> 'completed' OR attempt >= 1)
);
INSERT INTO docket_jobs_new
  (id, task, queue, state, input, priority, run_at, attempt, max_attempts, key, timeout_ms, progress, result,
   errors, worker_id, lease_expires_at, cancel_requested, created_at, started_at, finished_at, trace_context,
   group_key, ready_at)
SELECT id, task, queue, state, input, priority, run_at, attempt, max_attempts, key, timeout_ms, progress, result,
       errors, worker_id, lease_expires_at, cancel_requested, created_at, started_at, finished_at, trace_context,
       group_key, ready_at
FROM docket_jobs;
DROP TABLE docket_jobs;
ALTER TABLE docket_jobs_new RENAME TO docket_jobs;

CREATE INDEX docket_jobs_claim ON docket_jobs (queue, priority DESC, run_at, id) WHERE state = 'available';
CREATE INDEX docket_jobs_due ON docket_jobs (run_at) WHERE state = 'scheduled';
CREATE INDEX docket_jobs_finished ON docket_jobs (finished_at)
  WHERE (state = 'completed' OR state = 'failed' OR state = 'cancelled');
CREATE UNIQUE INDEX docket_jobs_key ON docket_jobs (key)
  WHERE key IS NOT NULL AND (state = 'scheduled' OR state = 'available' OR state = 'active');
CREATE INDEX docket_jobs_lease ON docket_jobs (queue, group_key, lease_expires_at) WHERE state = 'active';
-- Two constants: SQLite compares them one by one, no lookup table.
CREATE INDEX docket_jobs_queue_state ON docket_jobs (queue, state) WHERE state NOT IN ('available', 'active');
CREATE INDEX docket_jobs_group_claim ON docket_jobs (queue, group_key, priority DESC, run_at, id)
  WHERE state = 'available' AND group_key IS NOT NULL;

CREATE TABLE docket_job_logs_new (
  seq INTEGER PRIMARY KEY,
  job_id INTEGER NOT NULL,
  attempt INTEGER NOT NULL,
  at INTEGER NOT NULL,
  level TEXT NOT NULL CHECK (level = 'debug' OR level = 'info' OR level = 'warn' OR level = 'error'),
  message TEXT NOT NULL
);
INSERT INTO docket_job_logs_new (seq, job_id, attempt, at, level, message)
SELECT seq, job_id, attempt, at, level, message FROM docket_job_logs;
DROP TABLE docket_job_logs;
ALTER TABLE docket_job_logs_new RENAME TO docket_job_logs;
CREATE INDEX docket_job_logs_job ON docket_job_logs (job_id, seq);

-- Docket schema, version 1. Times are integer milliseconds since the epoch.
-- The job state machine is enforced here, not only in code: each state
-- requires exactly the fields it implies.
CREATE TABLE docket_jobs (
  id INTEGER PRIMARY KEY,
  task TEXT NOT NULL,
  queue TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('scheduled', 'available', 'active', 'completed', 'failed', 'cancelled')),
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
  CHECK ((state = 'active') = (lease_expires_at IS NOT NULL AND worker_id IS NOT NULL)),
  CHECK ((state IN ('completed', 'failed', 'cancelled')) = (finished_at IS NOT NULL)),
  CHECK (state <> 'completed' OR attempt >= 1)
);

-- The claim walks these indexes in claim order and stops after LIMIT rows:
-- per queue when a worker names its queues, across queues when it takes all.
CREATE INDEX docket_jobs_claim ON docket_jobs (queue, priority DESC, run_at, id) WHERE state = 'available';
CREATE INDEX docket_jobs_claim_any ON docket_jobs (priority DESC, run_at, id) WHERE state = 'available';
CREATE INDEX docket_jobs_due ON docket_jobs (run_at) WHERE state = 'scheduled';
CREATE INDEX docket_jobs_lease ON docket_jobs (lease_expires_at) WHERE state = 'active';
CREATE INDEX docket_jobs_finished ON docket_jobs (finished_at) WHERE state IN ('completed', 'failed', 'cancelled');
CREATE INDEX docket_jobs_queue_state ON docket_jobs (queue, state);
-- At most one unfinished job per key.
CREATE UNIQUE INDEX docket_jobs_key ON docket_jobs (key)
  WHERE key IS NOT NULL AND state IN ('scheduled', 'available', 'active');

CREATE TABLE docket_job_logs (
  seq INTEGER PRIMARY KEY,
  job_id INTEGER NOT NULL,
  attempt INTEGER NOT NULL,
  at INTEGER NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
  message TEXT NOT NULL
);
CREATE INDEX docket_job_logs_job ON docket_job_logs (job_id, seq);

CREATE TABLE docket_queues (
  name TEXT PRIMARY KEY,
  paused INTEGER NOT NULL DEFAULT 0,
  backlog_limit INTEGER CHECK (backlog_limit IS NULL OR backlog_limit >= 0),
  updated_at INTEGER NOT NULL
);

CREATE TABLE docket_workers (
  id TEXT PRIMARY KEY,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  queues TEXT NOT NULL,
  concurrency INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL,
  info TEXT NOT NULL DEFAULT '{}'
);

-- Docket schema, version 1 (PostgreSQL). Same tables and semantics as the
-- SQLite 001. Times are bigint milliseconds since the epoch, so rows map
-- with rows.ts exactly as SQLite's do. {schema} is replaced by the quoted
-- schema name when the migration runs.
-- The job state machine is enforced here, not only in code: each state
-- requires exactly the fields it implies.
CREATE TABLE {schema}.jobs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  task text NOT NULL,
  queue text NOT NULL,
  state text NOT NULL CHECK (state IN ('scheduled', 'available', 'active', 'completed', 'failed', 'cancelled')),
  -- json keeps the caller's text byte for byte; errors is jsonb so attempts append with ||.
  input json NOT NULL,
  priority integer NOT NULL DEFAULT 0,
  run_at bigint NOT NULL,
  attempt integer NOT NULL DEFAULT 0 CHECK (attempt >= 0),
  max_attempts integer NOT NULL CHECK (max_attempts >= 1),
  key text,
  timeout_ms bigint,
  progress json,
  result json,
  errors jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(errors) = 'array'),
  worker_id text,
  lease_expires_at bigint,
  cancel_requested boolean NOT NULL DEFAULT false,
  created_at bigint NOT NULL,
  started_at bigint,
  finished_at bigint,
  CONSTRAINT jobs_active_has_lease CHECK ((state = 'active') = (lease_expires_at IS NOT NULL AND worker_id IS NOT NULL)),
  CONSTRAINT jobs_final_has_finished_at CHECK ((state IN ('completed', 'failed', 'cancelled')) = (finished_at IS NOT NULL)),
  CONSTRAINT jobs_completed_was_attempted CHECK (state <> 'completed' OR attempt >= 1)
);

-- A claim for named queues walks this index per queue in claim order and stops after LIMIT rows.
CREATE INDEX jobs_claim ON {schema}.jobs (queue, priority DESC, run_at, id) WHERE state = 'available';
-- A claim for every queue walks this one, so its cost does not grow with the number of queues.
CREATE INDEX jobs_claim_any ON {schema}.jobs (priority DESC, run_at, id) WHERE state = 'available';
CREATE INDEX jobs_due ON {schema}.jobs (run_at) WHERE state = 'scheduled';
CREATE INDEX jobs_lease ON {schema}.jobs (lease_expires_at) WHERE state = 'active';
CREATE INDEX jobs_finished ON {schema}.jobs (finished_at) WHERE state IN ('completed', 'failed', 'cancelled');
CREATE INDEX jobs_queue_state ON {schema}.jobs (queue, state);
CREATE INDEX jobs_task ON {schema}.jobs (task);
-- At most one unfinished job per key.
CREATE UNIQUE INDEX jobs_key ON {schema}.jobs (key)
  WHERE key IS NOT NULL AND state IN ('scheduled', 'available', 'active');

CREATE TABLE {schema}.job_logs (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job_id bigint NOT NULL,
  attempt integer NOT NULL,
  at bigint NOT NULL,
  level text NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
  message text NOT NULL
);
CREATE INDEX job_logs_job ON {schema}.job_logs (job_id, seq);

CREATE TABLE {schema}.queues (
  name text PRIMARY KEY,
  paused boolean NOT NULL DEFAULT false,
  backlog_limit integer CHECK (backlog_limit IS NULL OR backlog_limit >= 0),
  updated_at bigint NOT NULL
);

CREATE TABLE {schema}.workers (
  id text PRIMARY KEY,
  host text NOT NULL,
  pid integer NOT NULL,
  queues jsonb NOT NULL CHECK (jsonb_typeof(queues) = 'array'),
  concurrency integer NOT NULL,
  started_at bigint NOT NULL,
  heartbeat_at bigint NOT NULL,
  info jsonb NOT NULL DEFAULT '{}'
);

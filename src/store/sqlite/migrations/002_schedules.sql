-- Schedules, version 2. A schedule fires a job at each tick of a cron
-- expression or an interval. `cursor` is the heart of exactly-once: a tick
-- is fired only by the transaction that moves the cursor past it, and the
-- cursor only moves forward, so it stays a fence after the job is finished
-- and pruned. Times are integer ms since the epoch.
CREATE TABLE docket_schedules (
  name TEXT PRIMARY KEY,
  cron TEXT,
  every_ms INTEGER CHECK (every_ms IS NULL OR every_ms >= 1),
  tz TEXT NOT NULL,
  job TEXT NOT NULL,
  missed TEXT NOT NULL CHECK (missed IN ('skip', 'latest', 'all')),
  missed_limit INTEGER NOT NULL CHECK (missed_limit >= 1),
  grace_ms INTEGER NOT NULL CHECK (grace_ms >= 0),
  overlap TEXT NOT NULL CHECK (overlap IN ('allow', 'skip')),
  paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
  cursor INTEGER NOT NULL,
  last_tick INTEGER,
  last_job_id INTEGER,
  last_run_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  -- Exactly one way to tick.
  CHECK ((cron IS NULL) <> (every_ms IS NULL)),
  CHECK (last_tick IS NULL OR last_tick <= cursor)
);

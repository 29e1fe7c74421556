-- Schedules, version 2 (PostgreSQL); same table and semantics as SQLite's
-- 002. A schedule fires a job at each tick of a cron expression or an
-- interval. `cursor` is the heart of exactly-once: a tick is fired only by
-- the transaction that moves the cursor past it (fireTick locks the row
-- first, so racing schedulers take turns), and the cursor only moves
-- forward, so it stays a fence after the job is finished and pruned.
-- Times are bigint ms since the epoch.
CREATE TABLE {schema}.schedules (
  name text PRIMARY KEY,
  cron text,
  every_ms bigint CHECK (every_ms IS NULL OR every_ms >= 1),
  tz text NOT NULL,
  job jsonb NOT NULL CHECK (jsonb_typeof(job) = 'object'),
  missed text NOT NULL CHECK (missed IN ('skip', 'latest', 'all')),
  missed_limit integer NOT NULL CHECK (missed_limit >= 1),
  grace_ms bigint NOT NULL CHECK (grace_ms >= 0),
  overlap text NOT NULL CHECK (overlap IN ('allow', 'skip')),
  paused boolean NOT NULL DEFAULT false,
  cursor bigint NOT NULL,
  last_tick bigint,
  last_job_id bigint,
  last_run_at bigint,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  -- Exactly one way to tick.
  CONSTRAINT schedules_one_trigger CHECK ((cron IS NULL) <> (every_ms IS NULL)),
  CONSTRAINT schedules_tick_within_cursor CHECK (last_tick IS NULL OR last_tick <= cursor)
);

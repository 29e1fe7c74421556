-- Named statements for schedules (PostgreSQL), loaded with queries.sql.
-- Same operations as the SQLite schedules.sql. Times are bigint ms.

-- name: upsertSchedule
-- A new schedule's cursor starts at :now, so ticks before it existed are
-- neither fired nor counted as missed. Replacing keeps the run-time state.
INSERT INTO {schema}.schedules AS s (name, cron, every_ms, tz, job, missed, missed_limit, grace_ms, overlap,
  paused, cursor, created_at, updated_at)
VALUES (:name, :cron, :every_ms::bigint, :tz, :job::jsonb, :missed, :missed_limit::int, :grace_ms::bigint, :overlap,
  false, :now::bigint, :now::bigint, :now::bigint)
ON CONFLICT (name) DO UPDATE SET
  cron = excluded.cron, every_ms = excluded.every_ms, tz = excluded.tz, job = excluded.job,
  missed = excluded.missed, missed_limit = excluded.missed_limit, grace_ms = excluded.grace_ms,
  overlap = excluded.overlap, updated_at = :now::bigint
RETURNING *;

-- name: getSchedule
SELECT * FROM {schema}.schedules WHERE name = :name;

-- name: lockSchedule
-- fireTick's first step: concurrent schedulers on one schedule take turns here.
SELECT * FROM {schema}.schedules WHERE name = :name FOR UPDATE;

-- name: listSchedules
SELECT * FROM {schema}.schedules ORDER BY name;

-- name: pauseSchedule
UPDATE {schema}.schedules SET paused = true, updated_at = :now::bigint WHERE name = :name
RETURNING *;

-- name: resumeSchedule
-- greatest(): resuming never moves the cursor back, or a tick could fire twice.
UPDATE {schema}.schedules
SET paused = false, cursor = greatest(cursor, :now::bigint), updated_at = :now::bigint
WHERE name = :name
RETURNING *;

-- name: removeSchedule
DELETE FROM {schema}.schedules WHERE name = :name RETURNING name;

-- name: previousRunState
SELECT state FROM {schema}.jobs WHERE id = :id::bigint;

-- name: advanceCursor
-- The compare-and-set: only a tick newer than the cursor moves it.
UPDATE {schema}.schedules
SET cursor = :tick::bigint, last_tick = :tick::bigint
WHERE name = :name AND NOT paused AND cursor < :tick::bigint
RETURNING name;

-- name: recordRun
UPDATE {schema}.schedules SET last_job_id = :job_id::bigint, last_run_at = :now::bigint WHERE name = :name;

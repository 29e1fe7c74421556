-- Named statements for schedules (issue #5), loaded with queries.sql.
-- Parameters are named (:name). Times are integer ms.

-- name: upsertSchedule
-- A new schedule's cursor starts at :now, so ticks before it existed are
-- neither fired nor counted as missed. Replacing keeps the run-time state.
INSERT INTO docket_schedules (name, cron, every_ms, tz, job, missed, missed_limit, grace_ms, overlap,
  paused, cursor, created_at, updated_at)
VALUES (:name, :cron, :every_ms, :tz, :job, :missed, :missed_limit, :grace_ms, :overlap, 0, :now, :now, :now)
ON CONFLICT (name) DO UPDATE SET
  cron = excluded.cron, every_ms = excluded.every_ms, tz = excluded.tz, job = excluded.job,
  missed = excluded.missed, missed_limit = excluded.missed_limit, grace_ms = excluded.grace_ms,
  overlap = excluded.overlap, updated_at = :now
RETURNING *;

-- name: getSchedule
SELECT * FROM docket_schedules WHERE name = :name;

-- name: listSchedules
SELECT * FROM docket_schedules ORDER BY name;

-- name: pauseSchedule
UPDATE docket_schedules SET paused = 1, updated_at = :now WHERE name = :name
RETURNING *;

-- name: resumeSchedule
-- max(): resuming never moves the cursor back, or a tick could fire twice.
UPDATE docket_schedules SET paused = 0, cursor = max(cursor, :now), updated_at = :now WHERE name = :name
RETURNING *;

-- name: removeSchedule
DELETE FROM docket_schedules WHERE name = :name;

-- name: previousRunState
SELECT state FROM docket_jobs WHERE id = :id;

-- name: advanceCursor
-- The compare-and-set: only a tick newer than the cursor moves it.
UPDATE docket_schedules
SET cursor = :tick, last_tick = :tick
WHERE name = :name AND paused = 0 AND cursor < :tick;

-- name: recordRun
UPDATE docket_schedules SET last_job_id = :job_id, last_run_at = :now WHERE name = :name;

-- One named statement per store operation. Loaded once by sql-file.ts;
-- parameters are named (:name). Times are integer ms.

-- name: promoteDue
UPDATE docket_jobs SET state = 'available'
WHERE state = 'scheduled' AND run_at <= :now;

-- name: claimCandidatesInQueue
-- Walks docket_jobs_claim in claim order for one queue and stops at LIMIT.
SELECT id, priority, run_at FROM docket_jobs
WHERE state = 'available' AND queue = :queue
ORDER BY priority DESC, run_at, id
LIMIT :limit;

-- name: claimDirect
-- Picks and leases in one statement, from one queue: walks docket_jobs_claim
-- in claim order and stops at LIMIT.
UPDATE docket_jobs
SET state = 'active', attempt = attempt + 1, worker_id = :worker_id,
    lease_expires_at = :lease_expires_at, started_at = :now
WHERE id IN (
  SELECT id FROM docket_jobs
  WHERE state = 'available' AND queue = :queue
  ORDER BY priority DESC, run_at, id
  LIMIT :limit
)
RETURNING *;

-- name: availableQueues
-- The queues with a job waiting, for a claim of every queue: one seek on
-- docket_jobs_claim per queue (a loose index scan), in name order.
WITH RECURSIVE waiting(name) AS (
  SELECT (SELECT min(queue) FROM docket_jobs WHERE state = 'available')
  UNION ALL
  SELECT (SELECT min(queue) FROM docket_jobs WHERE state = 'available' AND queue > waiting.name)
  FROM waiting WHERE waiting.name IS NOT NULL
)
SELECT name FROM waiting WHERE name IS NOT NULL;

-- name: insertJob
-- One job. Values by position, in this order: task, queue, state, input,
-- priority, run_at, max_attempts, key, timeout_ms, trace_context,
-- group_key, the queue again, now (sqlite-store.ts insertRows runs it once
-- per job of a batch). A job whose key an unfinished job holds is skipped
-- (ON CONFLICT DO NOTHING: no change). A job without a group gets the group
-- key x'00' when its queue walks groups (migration 010), so
-- docket_jobs_group_claim has it for the walk.
INSERT INTO docket_jobs
  (task, queue, state, input, priority, run_at, max_attempts, key, timeout_ms, trace_context, group_key, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, (SELECT x'00' FROM docket_queues q WHERE q.name = ? AND q.walks_groups)),
        ?)
ON CONFLICT DO NOTHING;

-- name: unfinishedByKey
-- The state test is docket_jobs_key's condition word for word (migration 012), so the planner uses it.
SELECT * FROM docket_jobs
WHERE key = :key AND (state = 'scheduled' OR state = 'available' OR state = 'active');

-- name: backlogLimits
SELECT name, backlog_limit FROM docket_queues WHERE backlog_limit IS NOT NULL;

-- name: queueBacklog
SELECT
  (SELECT count(*) FROM docket_jobs WHERE queue = :queue AND state IN ('scheduled', 'available')) AS waiting,
  (SELECT count(*) FROM docket_jobs
     WHERE state IN ('completed', 'failed') AND finished_at >= :since AND queue = :queue) AS drained;

-- name: renewLease
UPDATE docket_jobs SET lease_expires_at = :lease_expires_at
WHERE id = :id AND attempt = :attempt AND state = 'active' AND worker_id = :worker_id
RETURNING id, cancel_requested;

-- name: complete
-- The whole batch in one statement: :jobs is a JSON array of [id, attempt, result].
UPDATE docket_jobs
SET state = 'completed', result = v.result, finished_at = :now, lease_expires_at = NULL, cancel_requested = 0
FROM (SELECT value ->> 0 AS id, value ->> 1 AS attempt, value ->> 2 AS result FROM json_each(:jobs)) AS v
WHERE docket_jobs.id = v.id AND docket_jobs.attempt = v.attempt AND docket_jobs.state = 'active'
RETURNING docket_jobs.id;

-- name: failRetry
UPDATE docket_jobs
SET state = CASE WHEN :retry_at <= :now THEN 'available' ELSE 'scheduled' END,
    run_at = :retry_at, lease_expires_at = NULL,
    errors = json_insert(errors, '$[#]', json(:error))
WHERE id = :id AND attempt = :attempt AND state = 'active';

-- name: failFinal
UPDATE docket_jobs
SET state = 'failed', finished_at = :now, lease_expires_at = NULL, cancel_requested = 0,
    errors = json_insert(errors, '$[#]', json(:error))
WHERE id = :id AND attempt = :attempt AND state = 'active';

-- name: reclaimRetry
-- The job keeps its run time, so it goes back to its place in line: it was
-- due already, and a crash of its worker should not send it to the back.
UPDATE docket_jobs
SET state = 'available', lease_expires_at = NULL,
    errors = json_insert(errors, '$[#]', json(:error))
WHERE id = :id AND attempt = :attempt AND state = 'active';

-- name: markCancelled
UPDATE docket_jobs
SET state = 'cancelled', finished_at = :now, lease_expires_at = NULL
WHERE id = :id AND attempt = :attempt AND state = 'active';

-- name: release
UPDATE docket_jobs
SET state = 'available', run_at = :now, lease_expires_at = NULL, max_attempts = max_attempts + 1
WHERE id = :id AND attempt = :attempt AND state = 'active';

-- name: expiredLeases
SELECT id, attempt, max_attempts, worker_id FROM docket_jobs
WHERE state = 'active' AND lease_expires_at < :now
ORDER BY lease_expires_at
LIMIT :limit;

-- name: requestCancel
UPDATE docket_jobs SET cancel_requested = 1 WHERE id = :id AND state = 'active';

-- name: cancelWaiting
UPDATE docket_jobs SET state = 'cancelled', finished_at = :now
WHERE id = :id AND state IN ('scheduled', 'available');

-- name: retry
-- A job without a group that finished before its queue began to walk groups
-- gets x'00' now, as an enqueue would give it (migration 010).
UPDATE docket_jobs
SET state = 'available', run_at = :now, finished_at = NULL, result = NULL, cancel_requested = 0,
    max_attempts = max(max_attempts, attempt + 1),
    group_key = coalesce(group_key, (SELECT x'00' FROM docket_queues q WHERE q.name = docket_jobs.queue AND q.walks_groups))
WHERE id = :id AND state IN ('failed', 'cancelled');

-- name: deleteJob
DELETE FROM docket_jobs WHERE id = :id AND state <> 'active';

-- name: deleteLogs
DELETE FROM docket_job_logs WHERE job_id = :id;

-- name: setProgress
UPDATE docket_jobs SET progress = :progress
WHERE id = :id AND attempt = :attempt AND state = 'active';

-- name: appendLog
INSERT INTO docket_job_logs (job_id, attempt, at, level, message)
SELECT :id, :attempt, :at, :level, :message
WHERE EXISTS (SELECT 1 FROM docket_jobs WHERE id = :id AND attempt = :attempt AND state = 'active');

-- name: getJob
SELECT * FROM docket_jobs WHERE id = :id;

-- name: getLogs
SELECT seq, attempt, at, level, message FROM docket_job_logs
WHERE job_id = :id AND seq > :after_seq
ORDER BY seq
LIMIT :limit;

-- name: listJobs
SELECT * FROM docket_jobs
WHERE (:states IS NULL OR state IN (SELECT value FROM json_each(:states)))
  AND (:queue IS NULL OR queue = :queue)
  AND (:task IS NULL OR task = :task)
  AND (:key IS NULL OR key = :key)
  AND (:text IS NULL OR instr(lower(input), lower(:text)) > 0)
  AND (:cursor IS NULL OR id < :cursor)
ORDER BY id DESC
LIMIT :limit;

-- name: countJobs
-- Three index-only scans: available jobs through docket_jobs_claim, active
-- ones through docket_jobs_lease, the rest through docket_jobs_queue_state
-- (which leaves both out; migrations 005 and 008).
SELECT queue, state, count(*) AS n FROM docket_jobs
WHERE state NOT IN ('available', 'active') AND (:queue IS NULL OR queue = :queue)
GROUP BY queue, state
UNION ALL
SELECT queue, 'active' AS state, count(*) AS n FROM docket_jobs
WHERE state = 'active' AND (:queue IS NULL OR queue = :queue)
GROUP BY queue
UNION ALL
SELECT queue, 'available' AS state, count(*) AS n FROM docket_jobs
WHERE state = 'available' AND (:queue IS NULL OR queue = :queue)
GROUP BY queue;

-- name: queueSettings
SELECT * FROM docket_queues;

-- name: queueStats
SELECT queue,
  min(CASE WHEN state = 'available' THEN run_at END) AS oldest_available_at,
  sum(CASE WHEN state IN ('completed', 'failed') AND finished_at >= :since THEN 1 ELSE 0 END) AS finished_last_minute
FROM docket_jobs
GROUP BY queue;

-- name: upsertQueue
-- Each setting has a set_* flag: 0 keeps the stored value, 1 writes the
-- given one (null clears a limit). flowRefresh then recomputes `flow`.
INSERT INTO docket_queues (name, paused, backlog_limit, concurrency, rate_limit, rate_period_ms, rate_burst,
  group_concurrency, group_rate_limit, group_rate_period_ms, group_rate_burst, fair, updated_at)
VALUES (:name, coalesce(:paused, 0), :backlog_limit, :concurrency, :rate_limit, :rate_period_ms, :rate_burst,
  :group_concurrency, :group_rate_limit, :group_rate_period_ms, :group_rate_burst, coalesce(:fair, 0), :now)
ON CONFLICT (name) DO UPDATE SET
  paused = coalesce(:paused, paused),
  backlog_limit = CASE WHEN :set_backlog = 1 THEN :backlog_limit ELSE backlog_limit END,
  concurrency = CASE WHEN :set_concurrency = 1 THEN :concurrency ELSE concurrency END,
  rate_limit = CASE WHEN :set_rate = 1 THEN :rate_limit ELSE rate_limit END,
  rate_period_ms = CASE WHEN :set_rate = 1 THEN :rate_period_ms ELSE rate_period_ms END,
  rate_burst = CASE WHEN :set_rate = 1 THEN :rate_burst ELSE rate_burst END,
  group_concurrency = CASE WHEN :set_group_concurrency = 1 THEN :group_concurrency ELSE group_concurrency END,
  group_rate_limit = CASE WHEN :set_group_rate = 1 THEN :group_rate_limit ELSE group_rate_limit END,
  group_rate_period_ms = CASE WHEN :set_group_rate = 1 THEN :group_rate_period_ms ELSE group_rate_period_ms END,
  group_rate_burst = CASE WHEN :set_group_rate = 1 THEN :group_rate_burst ELSE group_rate_burst END,
  -- A new group rate empties the group floor (limits.ts floorTokens): with
  -- other settings its tokens would no longer be a lower bound of every group's.
  group_floor_tokens = CASE WHEN :set_group_rate = 1 THEN 0 ELSE group_floor_tokens END,
  group_floor_at = CASE WHEN :set_group_rate = 1 THEN :now ELSE group_floor_at END,
  fair = coalesce(:fair, fair),
  updated_at = :now;

-- name: heartbeat
INSERT INTO docket_workers (id, host, pid, queues, concurrency, started_at, heartbeat_at, info)
VALUES (:id, :host, :pid, :queues, :concurrency, :started_at, :heartbeat_at, :info)
ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, info = excluded.info,
  concurrency = excluded.concurrency, queues = excluded.queues;

-- name: removeWorker
DELETE FROM docket_workers WHERE id = :id;

-- name: removeStaleWorkers
DELETE FROM docket_workers WHERE heartbeat_at < :stale_before;

-- name: listWorkers
SELECT * FROM docket_workers ORDER BY started_at, id;

-- name: pruneBatch
-- The state test is docket_jobs_finished's condition word for word (migration 012), so the planner uses it.
SELECT id FROM docket_jobs
WHERE (state = 'completed' OR state = 'failed' OR state = 'cancelled') AND finished_at < :finished_before
ORDER BY finished_at
LIMIT :limit;

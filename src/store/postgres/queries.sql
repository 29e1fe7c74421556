-- One named statement per store operation (PostgreSQL). Loaded once by
-- pg-sql.ts: `:name` parameters become $n, `{schema}` the quoted schema.
-- Times are bigint ms. Batched operations take parallel arrays and unnest
-- them, so a batch of any size is one statement and one round trip.

-- name: claim
-- One statement: lock due scheduled jobs and the best available ones with
-- SKIP LOCKED (concurrent claimers never wait on each other), take the best
-- `limit` of both, activate them, and promote the due jobs not taken.
-- `ready_any` walks jobs_claim_any (every queue); `ready_named` walks
-- jobs_claim once per named queue. The unused branch is cut by its
-- one-time filter on :all_queues. Paused queues are skipped, and so are
-- limited ones (flow control): the store claims those in flow.sql's
-- serialised path, and this statement names them in `limited_queues` (one
-- row with a null job when nothing was claimed).
WITH paused AS (
  SELECT name FROM {schema}.queues WHERE paused OR flow
),
due AS (
  SELECT id, queue, priority, run_at FROM {schema}.jobs
  WHERE state = 'scheduled' AND run_at <= :now::bigint
  FOR UPDATE SKIP LOCKED
),
ready_any AS (
  SELECT id, priority, run_at FROM {schema}.jobs
  WHERE :all_queues::boolean AND state = 'available' AND queue NOT IN (SELECT name FROM paused)
  ORDER BY priority DESC, run_at, id
  LIMIT :limit
  FOR UPDATE SKIP LOCKED
),
ready_named AS (
  SELECT r.id, r.priority, r.run_at
  FROM (SELECT DISTINCT unnest(:queues::text[]) AS name) q
  CROSS JOIN LATERAL (
    SELECT id, priority, run_at FROM {schema}.jobs
    WHERE state = 'available' AND queue = q.name
    ORDER BY priority DESC, run_at, id
    LIMIT :limit
    FOR UPDATE SKIP LOCKED
  ) r
  WHERE NOT :all_queues::boolean AND q.name NOT IN (SELECT name FROM paused)
),
picked AS (
  SELECT id FROM (
    SELECT id, priority, run_at FROM ready_any
    UNION ALL
    SELECT id, priority, run_at FROM ready_named
    UNION ALL
    SELECT id, priority, run_at FROM due
    WHERE (:all_queues::boolean OR queue = ANY(:queues::text[])) AND queue NOT IN (SELECT name FROM paused)
  ) candidates
  ORDER BY priority DESC, run_at, id
  LIMIT :limit
),
promoted AS (
  UPDATE {schema}.jobs SET state = 'available'
  WHERE id IN (SELECT id FROM due) AND id NOT IN (SELECT id FROM picked)
),
claimed AS (
  UPDATE {schema}.jobs
  SET state = 'active', attempt = attempt + 1, worker_id = :worker_id,
      lease_expires_at = :lease_expires_at, started_at = :now
  WHERE id IN (SELECT id FROM picked)
  RETURNING *
),
limited AS (
  SELECT array_agg(name ORDER BY name) AS names FROM {schema}.queues
  WHERE flow AND NOT paused AND (:all_queues::boolean OR name = ANY(:queues::text[]))
)
SELECT c.*, l.names AS limited_queues FROM limited l LEFT JOIN claimed c ON true;

-- name: enqueueOneTrip
-- The whole of an enqueue in one statement, so one round trip on its own:
-- lock the batch's backlog-limited queues (in name order, so two batches
-- never deadlock; concurrent enqueues to a limited queue take turns, so the
-- limit holds exactly), insert only when no limit would be passed (rows come
-- out in input order, so ids follow it; a key already unfinished, or repeated
-- in the batch, inserts nothing), and NOTIFY the queues that got due jobs —
-- delivered when the surrounding transaction commits. `over` comes back as JSON on
-- every row, and on the one row with a null id when nothing was inserted.
WITH adding AS (
  SELECT queue AS name, count(*)::int AS n FROM unnest(:queues::text[]) AS queue GROUP BY queue
),
limits AS (
  SELECT q.name, q.backlog_limit,
    (SELECT count(*) FROM {schema}.jobs j
       WHERE j.queue = q.name AND j.state IN ('scheduled', 'available'))::int AS waiting,
    (SELECT count(*) FROM {schema}.jobs j
       WHERE j.queue = q.name AND j.state IN ('completed', 'failed') AND j.finished_at >= :since::bigint)::int AS drained
  FROM {schema}.queues q
  WHERE q.name IN (SELECT name FROM adding) AND q.backlog_limit IS NOT NULL
  ORDER BY q.name
  FOR UPDATE OF q
),
over AS (
  SELECT l.name, l.backlog_limit, l.waiting + a.n AS waiting, l.drained
  FROM limits l JOIN adding a ON a.name = l.name
  WHERE l.waiting + a.n > l.backlog_limit
),
inserted AS (
  INSERT INTO {schema}.jobs
    (task, queue, state, input, priority, run_at, max_attempts, key, timeout_ms, trace_context, group_key, created_at)
  SELECT v.task, v.queue, CASE WHEN v.run_at <= :now::bigint THEN 'available' ELSE 'scheduled' END,
         v.input::json, v.priority, v.run_at, v.max_attempts, v.key, v.timeout_ms, v.trace_context::json, v.group_key,
         :now::bigint
  FROM unnest(:tasks::text[], :queues::text[], :inputs::text[], :priorities::int[], :run_ats::bigint[],
              :max_attempts::int[], :keys::text[], :timeouts::bigint[], :trace_contexts::text[], :groups::text[])
       WITH ORDINALITY AS v(task, queue, input, priority, run_at, max_attempts, key, timeout_ms, trace_context,
                            group_key, ord)
  WHERE NOT EXISTS (SELECT 1 FROM over)
  ORDER BY v.ord
  ON CONFLICT DO NOTHING
  -- Only what tells the rows apart: the store builds the jobs from its input
  -- (sending every column back cost more than the insert).
  RETURNING id, key, queue, state
),
notified AS (
  SELECT pg_notify(:channel, :notify_prefix || queue) FROM (SELECT DISTINCT queue FROM inserted WHERE state = 'available') d
)
SELECT i.*, (SELECT json_agg(over) FROM over) AS over, (SELECT count(*) FROM notified) AS notified
FROM (SELECT 1) one LEFT JOIN inserted i ON true;

-- name: unfinishedByKeys
SELECT * FROM {schema}.jobs
WHERE key = ANY(:keys::text[]) AND state IN ('scheduled', 'available', 'active');

-- name: notify
SELECT pg_notify(:channel, payload) FROM unnest(:payloads::text[]) AS payload;

-- name: renewLeases
UPDATE {schema}.jobs j SET lease_expires_at = :lease_expires_at::bigint
FROM unnest(:ids::bigint[], :attempts::int[]) AS v(id, attempt)
WHERE j.id = v.id AND j.attempt = v.attempt AND j.state = 'active' AND j.worker_id = :worker_id
RETURNING j.id, j.cancel_requested;

-- name: complete
UPDATE {schema}.jobs j
SET state = 'completed', result = v.result::json, finished_at = :now::bigint,
    lease_expires_at = NULL, cancel_requested = false
FROM unnest(:ids::bigint[], :attempts::int[], :results::text[]) AS v(id, attempt, result)
WHERE j.id = v.id AND j.attempt = v.attempt AND j.state = 'active'
RETURNING j.id;

-- name: fail
-- A null retry time ends the job failed; otherwise it waits for its retry
-- (available at once when the time has come). Each attempt's error is kept.
UPDATE {schema}.jobs j
SET state = CASE WHEN v.retry_at IS NULL THEN 'failed'
                 WHEN v.retry_at <= :now::bigint THEN 'available'
                 ELSE 'scheduled' END,
    run_at = coalesce(v.retry_at, j.run_at),
    finished_at = CASE WHEN v.retry_at IS NULL THEN :now::bigint END,
    lease_expires_at = NULL,
    cancel_requested = CASE WHEN v.retry_at IS NULL THEN false ELSE j.cancel_requested END,
    errors = j.errors || jsonb_build_array(v.error::jsonb)
FROM unnest(:ids::bigint[], :attempts::int[], :errors::text[], :retry_ats::bigint[]) AS v(id, attempt, error, retry_at)
WHERE j.id = v.id AND j.attempt = v.attempt AND j.state = 'active'
RETURNING j.id, j.queue, j.state;

-- name: markCancelled
UPDATE {schema}.jobs j
SET state = 'cancelled', finished_at = :now::bigint, lease_expires_at = NULL
FROM unnest(:ids::bigint[], :attempts::int[]) AS v(id, attempt)
WHERE j.id = v.id AND j.attempt = v.attempt AND j.state = 'active'
RETURNING j.id;

-- name: release
UPDATE {schema}.jobs j
SET state = 'available', run_at = :now::bigint, lease_expires_at = NULL, max_attempts = j.max_attempts + 1
FROM unnest(:ids::bigint[], :attempts::int[]) AS v(id, attempt)
WHERE j.id = v.id AND j.attempt = v.attempt AND j.state = 'active'
RETURNING j.id, j.queue;

-- name: reclaimExpired
-- SKIP LOCKED: a job a worker is completing right now is left to it.
WITH expired AS (
  SELECT id FROM {schema}.jobs
  WHERE state = 'active' AND lease_expires_at < :now::bigint
  ORDER BY lease_expires_at
  LIMIT :limit
  FOR UPDATE SKIP LOCKED
)
UPDATE {schema}.jobs j
SET state = CASE WHEN j.attempt >= j.max_attempts THEN 'failed' ELSE 'available' END,
    finished_at = CASE WHEN j.attempt >= j.max_attempts THEN :now::bigint END,
    lease_expires_at = NULL,
    cancel_requested = CASE WHEN j.attempt >= j.max_attempts THEN false ELSE j.cancel_requested END,
    errors = j.errors || jsonb_build_array(jsonb_build_object(
      'attempt', j.attempt,
      'code', 'DOCKET_LEASE_LOST',
      'message', 'lease expired: the worker stopped renewing it (crashed, hung or cut off)',
      'at', :now::bigint,
      'workerId', j.worker_id))
FROM expired
WHERE j.id = expired.id
RETURNING j.id, j.queue, j.state, j.lease_expires_at;

-- name: cancel
-- Locks the job first, so a claim racing this cancel is seen either before
-- (the job is cancelled at once) or after (the running job is asked to stop).
WITH target AS (
  SELECT id, state FROM {schema}.jobs WHERE id = :id::bigint FOR UPDATE
)
UPDATE {schema}.jobs j
SET state = CASE WHEN t.state = 'active' THEN j.state ELSE 'cancelled' END,
    finished_at = CASE WHEN t.state = 'active' THEN j.finished_at ELSE :now::bigint END,
    cancel_requested = j.cancel_requested OR t.state = 'active'
FROM target t
WHERE j.id = t.id AND t.state IN ('scheduled', 'available', 'active')
RETURNING t.state AS was;

-- name: retry
UPDATE {schema}.jobs
SET state = 'available', run_at = :now::bigint, finished_at = NULL, result = NULL, cancel_requested = false,
    max_attempts = greatest(max_attempts, attempt + 1)
WHERE id = :id::bigint AND state IN ('failed', 'cancelled')
RETURNING queue;

-- name: deleteJob
WITH gone AS (
  DELETE FROM {schema}.jobs WHERE id = :id::bigint AND state <> 'active' RETURNING id
),
logs AS (
  DELETE FROM {schema}.job_logs WHERE job_id IN (SELECT id FROM gone)
)
SELECT (SELECT count(*) FROM gone) AS deleted,
       EXISTS (SELECT 1 FROM {schema}.jobs WHERE id = :id::bigint) AS present;

-- name: setProgress
UPDATE {schema}.jobs SET progress = :progress::json
WHERE id = :id::bigint AND attempt = :attempt::int AND state = 'active';

-- name: appendLogs
-- Lines of an attempt that no longer holds its job are dropped.
INSERT INTO {schema}.job_logs (job_id, attempt, at, level, message)
SELECT v.id, v.attempt, v.at, v.level, v.message
FROM unnest(:ids::bigint[], :attempts::int[], :ats::bigint[], :levels::text[], :messages::text[])
     WITH ORDINALITY AS v(id, attempt, at, level, message, ord)
JOIN {schema}.jobs j ON j.id = v.id AND j.attempt = v.attempt AND j.state = 'active'
ORDER BY v.ord;

-- name: getJob
SELECT * FROM {schema}.jobs WHERE id = :id::bigint;

-- name: getLogs
SELECT seq, attempt, at, level, message FROM {schema}.job_logs
WHERE job_id = :id::bigint AND seq > :after_seq::bigint
ORDER BY seq
LIMIT :limit;

-- name: listJobs
SELECT * FROM {schema}.jobs
WHERE (:states::text[] IS NULL OR state = ANY(:states::text[]))
  AND (:queue::text IS NULL OR queue = :queue::text)
  AND (:task::text IS NULL OR task = :task::text)
  AND (:key::text IS NULL OR key = :key::text)
  AND (:text::text IS NULL OR strpos(lower(input::text), lower(:text::text)) > 0)
  AND (:cursor::bigint IS NULL OR id < :cursor::bigint)
ORDER BY id DESC
LIMIT :limit;

-- name: countJobs
-- Available jobs are counted through jobs_claim, active ones through
-- jobs_lease, the rest through jobs_queue_state (which leaves both out; see
-- migrations 005 and 009).
SELECT queue, state, count(*)::int AS n FROM {schema}.jobs
WHERE state NOT IN ('available', 'active') AND (:queue::text IS NULL OR queue = :queue::text)
GROUP BY queue, state
UNION ALL
SELECT queue, 'active' AS state, count(*)::int AS n FROM {schema}.jobs
WHERE state = 'active' AND (:queue::text IS NULL OR queue = :queue::text)
GROUP BY queue
UNION ALL
SELECT queue, 'available' AS state, count(*)::int AS n FROM {schema}.jobs
WHERE state = 'available' AND (:queue::text IS NULL OR queue = :queue::text)
GROUP BY queue;

-- name: queueSettings
SELECT * FROM {schema}.queues;

-- name: queueStats
SELECT queue,
  min(run_at) FILTER (WHERE state = 'available') AS oldest_available_at,
  count(*) FILTER (WHERE state IN ('completed', 'failed') AND finished_at >= :since::bigint)::int AS finished_last_minute
FROM {schema}.jobs
GROUP BY queue;

-- name: upsertQueue
-- Each setting has a set_* flag: false keeps the stored value, true writes
-- the given one (null clears a limit). flowRefresh then recomputes `flow`.
INSERT INTO {schema}.queues AS q (name, paused, backlog_limit, concurrency, rate_limit, rate_period_ms, rate_burst,
  group_concurrency, group_rate_limit, group_rate_period_ms, group_rate_burst, fair, updated_at)
VALUES (:name, coalesce(:paused::boolean, false), :backlog_limit::int, :concurrency::int, :rate_limit::int,
  :rate_period_ms::bigint, :rate_burst::int, :group_concurrency::int, :group_rate_limit::int,
  :group_rate_period_ms::bigint, :group_rate_burst::int, coalesce(:fair::boolean, false), :now::bigint)
ON CONFLICT (name) DO UPDATE SET
  paused = coalesce(:paused::boolean, q.paused),
  backlog_limit = CASE WHEN :set_backlog::boolean THEN :backlog_limit::int ELSE q.backlog_limit END,
  concurrency = CASE WHEN :set_concurrency::boolean THEN :concurrency::int ELSE q.concurrency END,
  rate_limit = CASE WHEN :set_rate::boolean THEN :rate_limit::int ELSE q.rate_limit END,
  rate_period_ms = CASE WHEN :set_rate::boolean THEN :rate_period_ms::bigint ELSE q.rate_period_ms END,
  rate_burst = CASE WHEN :set_rate::boolean THEN :rate_burst::int ELSE q.rate_burst END,
  group_concurrency = CASE WHEN :set_group_concurrency::boolean THEN :group_concurrency::int ELSE q.group_concurrency END,
  group_rate_limit = CASE WHEN :set_group_rate::boolean THEN :group_rate_limit::int ELSE q.group_rate_limit END,
  group_rate_period_ms = CASE WHEN :set_group_rate::boolean THEN :group_rate_period_ms::bigint ELSE q.group_rate_period_ms END,
  group_rate_burst = CASE WHEN :set_group_rate::boolean THEN :group_rate_burst::int ELSE q.group_rate_burst END,
  -- A new group rate empties the group floor (limits.ts floorTokens): with
  -- other settings its tokens would no longer be a lower bound of every group's.
  group_floor_tokens = CASE WHEN :set_group_rate::boolean THEN 0 ELSE q.group_floor_tokens END,
  group_floor_at = CASE WHEN :set_group_rate::boolean THEN :now::bigint ELSE q.group_floor_at END,
  fair = coalesce(:fair::boolean, q.fair),
  updated_at = :now::bigint;

-- name: heartbeat
INSERT INTO {schema}.workers (id, host, pid, queues, concurrency, started_at, heartbeat_at, info)
VALUES (:id, :host, :pid, :queues::jsonb, :concurrency, :started_at, :heartbeat_at, :info::jsonb)
ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, info = excluded.info,
  concurrency = excluded.concurrency, queues = excluded.queues;

-- name: removeWorkers
DELETE FROM {schema}.workers
WHERE id = ANY(:ids::text[]) OR heartbeat_at < :stale_before::bigint;

-- name: listWorkers
SELECT * FROM {schema}.workers ORDER BY started_at, id;

-- name: prune
-- Oldest first, in batches; SKIP LOCKED keeps two pruners off each other's rows.
WITH doomed AS (
  SELECT id FROM {schema}.jobs
  WHERE state IN ('completed', 'failed', 'cancelled') AND finished_at < :finished_before::bigint
  ORDER BY finished_at
  LIMIT :limit
  FOR UPDATE SKIP LOCKED
),
gone AS (
  DELETE FROM {schema}.jobs WHERE id IN (SELECT id FROM doomed) RETURNING id
),
logs AS (
  DELETE FROM {schema}.job_logs WHERE job_id IN (SELECT id FROM gone)
)
SELECT count(*)::int AS n FROM gone;

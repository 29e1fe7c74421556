-- Flow control (issue #9): the serialised claim of limited queues and the
-- reads behind hold reasons. The claim's BEGIN IMMEDIATE makes every step
-- below one atomic decision across all processes on the host.

-- name: heldQueues
-- Queues the fast claim path must leave alone: paused ones, and limited ones
-- (taken by the flow path below).
SELECT * FROM docket_queues WHERE paused = 1 OR flow = 1;

-- name: flowQueueActive
SELECT count(*) AS n FROM docket_jobs WHERE queue = :queue AND state = 'active';

-- name: flowCandidates
SELECT id, run_at, group_key FROM docket_jobs
WHERE state = 'available' AND queue = :queue
ORDER BY priority DESC, run_at, id
LIMIT :limit;

-- name: flowGroups
-- Groups with available jobs, found by a loose index scan (one seek per
-- group on docket_jobs_group_claim, however many jobs each holds), with
-- their stored state and active jobs. '' stands for jobs without a group.
WITH RECURSIVE g(k) AS (
  SELECT (SELECT min(group_key) FROM docket_jobs
          WHERE queue = :queue AND state = 'available' AND group_key IS NOT NULL)
  UNION ALL
  SELECT (SELECT min(group_key) FROM docket_jobs
          WHERE queue = :queue AND state = 'available' AND group_key > g.k)
  FROM g WHERE g.k IS NOT NULL
),
waiting(group_key) AS (
  SELECT k FROM g WHERE k IS NOT NULL
  UNION ALL
  SELECT '' WHERE EXISTS (SELECT 1 FROM docket_jobs
                          WHERE queue = :queue AND state = 'available' AND group_key IS NULL)
)
SELECT w.group_key, s.tokens, s.refilled_at, coalesce(s.served_turn, 0) AS served_turn, s.held_at,
  (SELECT count(*) FROM docket_jobs a
   WHERE a.queue = :queue AND a.state = 'active' AND a.group_key = w.group_key) AS active
FROM waiting w
LEFT JOIN docket_queue_groups s ON s.queue = :queue AND s.group_key = w.group_key;

-- name: flowHeads
SELECT id, run_at, group_key FROM docket_jobs
WHERE state = 'available' AND queue = :queue AND group_key = :group
ORDER BY priority DESC, run_at, id
LIMIT :limit;

-- name: flowHeadsUngrouped
SELECT id, run_at, group_key FROM docket_jobs
WHERE state = 'available' AND queue = :queue AND group_key IS NULL
ORDER BY priority DESC, run_at, id
LIMIT :limit;

-- name: flowClaimJob
UPDATE docket_jobs
SET state = 'active', attempt = attempt + 1, worker_id = :worker_id,
    lease_expires_at = :lease_expires_at, started_at = :now, ready_at = :ready_at
WHERE id = :id AND state = 'available'
RETURNING *;

-- name: flowSaveQueue
UPDATE docket_queues
SET tokens = :tokens, refilled_at = :refilled_at, turn = :turn, held_at = :held_at
WHERE name = :name;

-- name: flowSaveGroup
INSERT INTO docket_queue_groups (queue, group_key, tokens, refilled_at, served_turn, held_at)
VALUES (:queue, :group, :tokens, :refilled_at, :served_turn, :held_at)
ON CONFLICT (queue, group_key) DO UPDATE SET
  tokens = excluded.tokens, refilled_at = excluded.refilled_at,
  served_turn = excluded.served_turn, held_at = excluded.held_at;

-- name: flowRefresh
-- Recomputes the `flow` flag after a settings change.
UPDATE docket_queues
SET flow = (concurrency IS NOT NULL OR rate_limit IS NOT NULL OR group_concurrency IS NOT NULL
            OR group_rate_limit IS NOT NULL OR fair = 1)
WHERE name = :name
RETURNING *;

-- name: flowQueue
SELECT * FROM docket_queues WHERE name = :name;

-- name: flowGroupState
SELECT s.tokens, s.refilled_at,
  (SELECT count(*) FROM docket_jobs a
   WHERE a.queue = :queue AND a.state = 'active' AND a.group_key = :group) AS active
FROM (SELECT 1) LEFT JOIN docket_queue_groups s ON s.queue = :queue AND s.group_key = :group;

-- name: flowJobs
SELECT id, queue, group_key, state FROM docket_jobs
WHERE id IN (SELECT value FROM json_each(:ids));

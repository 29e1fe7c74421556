-- Flow control (issue #9), PostgreSQL: the serialised claim of limited
-- queues and the reads behind hold reasons. A claim of a limited queue
-- locks its queue row FOR UPDATE first, so claims of that queue take turns
-- across every host and each decides against committed counts; unlimited
-- queues keep the lock-free SKIP LOCKED claim in queries.sql.

-- name: flowLockQueues
-- In name order, so two claimers of several limited queues never deadlock.
SELECT * FROM {schema}.queues
WHERE name = ANY(:names::text[]) AND flow AND NOT paused
ORDER BY name
FOR UPDATE;

-- name: flowPromote
UPDATE {schema}.jobs SET state = 'available'
WHERE id IN (
  SELECT id FROM {schema}.jobs
  WHERE state = 'scheduled' AND run_at <= :now::bigint AND queue = ANY(:names::text[])
  FOR UPDATE SKIP LOCKED
);

-- name: flowQueueActive
SELECT count(*)::int AS n FROM {schema}.jobs WHERE queue = :queue AND state = 'active';

-- name: flowCandidates
SELECT id, run_at, group_key FROM {schema}.jobs
WHERE state = 'available' AND queue = :queue
ORDER BY priority DESC, run_at, id
LIMIT :limit
FOR UPDATE SKIP LOCKED;

-- name: flowGroups
-- Groups with available jobs by a loose index scan (one seek per group on
-- jobs_group_claim), with their stored state and active jobs. '' stands
-- for jobs without a group.
WITH RECURSIVE g(k) AS (
  SELECT (SELECT min(group_key) FROM {schema}.jobs
          WHERE queue = :queue AND state = 'available' AND group_key IS NOT NULL)
  UNION ALL
  SELECT (SELECT min(group_key) FROM {schema}.jobs
          WHERE queue = :queue AND state = 'available' AND group_key > g.k)
  FROM g WHERE g.k IS NOT NULL
),
waiting(group_key) AS (
  SELECT k FROM g WHERE k IS NOT NULL
  UNION ALL
  SELECT '' WHERE EXISTS (SELECT 1 FROM {schema}.jobs
                          WHERE queue = :queue AND state = 'available' AND group_key IS NULL)
)
SELECT w.group_key, s.tokens, s.refilled_at, coalesce(s.served_turn, 0) AS served_turn, s.held_at,
  (SELECT count(*)::int FROM {schema}.jobs a
   WHERE a.queue = :queue AND a.state = 'active' AND a.group_key = w.group_key) AS active
FROM waiting w
LEFT JOIN {schema}.queue_groups s ON s.queue = :queue AND s.group_key = w.group_key;

-- name: flowHeads
-- The first `limit` available jobs of each named group, in claim order.
SELECT r.id, r.run_at, r.group_key
FROM unnest(:groups::text[]) AS g(name)
CROSS JOIN LATERAL (
  SELECT id, run_at, group_key FROM {schema}.jobs
  WHERE state = 'available' AND queue = :queue AND group_key = g.name
  ORDER BY priority DESC, run_at, id
  LIMIT :limit
  FOR UPDATE SKIP LOCKED
) r
WHERE g.name <> ''
UNION ALL
SELECT u.id, u.run_at, u.group_key FROM (
  SELECT id, run_at, group_key, priority FROM {schema}.jobs
  WHERE '' = ANY(:groups::text[]) AND state = 'available' AND queue = :queue AND group_key IS NULL
  ORDER BY priority DESC, run_at, id
  LIMIT :limit
  FOR UPDATE SKIP LOCKED
) u;

-- name: flowClaimJobs
UPDATE {schema}.jobs j
SET state = 'active', attempt = j.attempt + 1, worker_id = :worker_id,
    lease_expires_at = :lease_expires_at::bigint, started_at = :now::bigint, ready_at = v.ready_at
FROM unnest(:ids::bigint[], :ready_ats::bigint[]) AS v(id, ready_at)
WHERE j.id = v.id AND j.state = 'available'
RETURNING j.*;

-- name: flowSaveQueue
UPDATE {schema}.queues
SET tokens = :tokens::double precision, refilled_at = :refilled_at::bigint,
    turn = :turn::bigint, held_at = :held_at::bigint
WHERE name = :name;

-- name: flowSaveGroups
INSERT INTO {schema}.queue_groups AS s (queue, group_key, tokens, refilled_at, served_turn, held_at)
SELECT :queue, v.group_key, v.tokens, v.refilled_at, v.served_turn, v.held_at
FROM unnest(:groups::text[], :tokens::double precision[], :refilled_ats::bigint[],
            :served_turns::bigint[], :held_ats::bigint[])
     AS v(group_key, tokens, refilled_at, served_turn, held_at)
ON CONFLICT (queue, group_key) DO UPDATE SET
  tokens = excluded.tokens, refilled_at = excluded.refilled_at,
  served_turn = excluded.served_turn, held_at = excluded.held_at;

-- name: flowRefresh
-- Recomputes the `flow` flag after a settings change.
UPDATE {schema}.queues
SET flow = (concurrency IS NOT NULL OR rate_limit IS NOT NULL OR group_concurrency IS NOT NULL
            OR group_rate_limit IS NOT NULL OR fair)
WHERE name = :name
RETURNING *;

-- name: flowQueue
SELECT * FROM {schema}.queues WHERE name = :name;

-- name: flowGroupState
SELECT s.tokens, s.refilled_at,
  (SELECT count(*)::int FROM {schema}.jobs a
   WHERE a.queue = :queue AND a.state = 'active' AND a.group_key = :group) AS active
FROM (SELECT 1) one LEFT JOIN {schema}.queue_groups s ON s.queue = :queue AND s.group_key = :group;

-- name: flowJobs
SELECT id, queue, group_key, state FROM {schema}.jobs WHERE id = ANY(:ids::bigint[]);

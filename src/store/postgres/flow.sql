-- Flow control (issue #9), PostgreSQL: the serialised claim of limited
-- queues and the reads behind hold reasons. A claim of a limited queue
-- locks its queue row FOR UPDATE first, so claims of that queue take turns
-- across every host and each decides against committed counts; unlimited
-- queues keep the lock-free SKIP LOCKED claim in queries.sql.

-- name: flowClaim
-- The serialised claim of limited queues, in the server (migration 010).
SELECT * FROM {schema}.flow_claim(:names::text[], :limit::int, :now::bigint, :worker_id::text, :lease_expires_at::bigint);

-- name: flowQueueActive
SELECT count(*)::int AS n FROM {schema}.jobs WHERE queue = :queue AND state = 'active';

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

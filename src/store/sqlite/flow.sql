-- Flow control (issue #9): the serialised claim of limited queues and the
-- reads behind hold reasons. The claim's BEGIN IMMEDIATE makes every step
-- below one atomic decision across all processes on the host.

-- name: heldQueues
-- Queues the fast claim path must leave alone: paused ones, and limited ones
-- (taken by the flow path below).
SELECT * FROM docket_queues WHERE paused = 1 OR flow = 1;

-- name: flowQueueActive
SELECT count(*) AS n FROM docket_jobs WHERE queue = :queue AND state = 'active';

-- name: flowQueueActiveUpTo
-- At most :limit of the queue's active jobs: enough to tell whether a group
-- concurrency can bind (plan.ts fast path) without counting them all.
SELECT count(*) AS n FROM (SELECT 1 FROM docket_jobs WHERE queue = :queue AND state = 'active' LIMIT :limit);

-- name: flowCandidates
SELECT id, run_at, group_key FROM docket_jobs
WHERE state = 'available' AND queue = :queue
ORDER BY priority DESC, run_at, id
LIMIT :limit;

-- name: flowNextGroup
-- One step of the round-robin walk (round-robin.ts walkGroups): the first
-- available job of the first group after :after, in docket_jobs_group_claim's
-- order (one index seek), with the group's stored state and active jobs,
-- unless :bare (the fast path, plan.ts: no group limit can bind, so neither
-- is read). (Text keys only: below x'00', the jobs without a group; see
-- flowUngroupedHead.)
SELECT j.id, j.run_at, j.group_key, s.tokens, s.refilled_at, s.held_at,
  CASE WHEN :bare THEN 0 ELSE
    (SELECT count(*) FROM docket_jobs a
     WHERE a.queue = :queue AND a.state = 'active' AND a.group_key = j.group_key) END AS active
FROM (SELECT id, run_at, group_key FROM docket_jobs
      WHERE queue = :queue AND state = 'available' AND group_key > :after AND group_key < x'00'
      ORDER BY queue, group_key, priority DESC, run_at, id
      LIMIT 1) AS j
LEFT JOIN docket_queue_groups s ON NOT :bare AND s.queue = :queue AND s.group_key = j.group_key;

-- name: flowNextGroupUpTo
-- The same step once the walk has wrapped round: not past :up_to (the
-- cursor). Its own statement, so the bound limits the index range: as a
-- filter, the seek would read every job after the cursor to find none.
SELECT j.id, j.run_at, j.group_key, s.tokens, s.refilled_at, s.held_at,
  CASE WHEN :bare THEN 0 ELSE
    (SELECT count(*) FROM docket_jobs a
     WHERE a.queue = :queue AND a.state = 'active' AND a.group_key = j.group_key) END AS active
FROM (SELECT id, run_at, group_key FROM docket_jobs
      WHERE queue = :queue AND state = 'available' AND group_key > :after AND group_key <= :up_to
      ORDER BY queue, group_key, priority DESC, run_at, id
      LIMIT 1) AS j
LEFT JOIN docket_queue_groups s ON NOT :bare AND s.queue = :queue AND s.group_key = j.group_key;

-- name: flowUngroupedHead
-- The first available job without a group: the '' group, first in the
-- round-robin's cycle. It has no limits and no stored state. In a queue that
-- walks groups such jobs are stored with the group key x'00' (migration 010).
SELECT id, run_at, group_key FROM docket_jobs
WHERE queue = :queue AND state = 'available' AND group_key = x'00'
ORDER BY queue, group_key, priority DESC, run_at, id
LIMIT 1;

-- name: flowHeads
-- The first :limit available jobs of each group in :groups (a JSON array;
-- '' is the jobs without a group, stored as x'00' in a queue that walks
-- groups), in claim order within each group: one statement, one index seek
-- per group.
SELECT j.id, j.run_at, j.group_key, g.key AS pos
FROM json_each(:groups) AS g
JOIN docket_jobs j ON j.id IN (
  SELECT id FROM docket_jobs
  WHERE state = 'available' AND queue = :queue AND group_key = coalesce(nullif(g.value, ''), x'00')
  ORDER BY priority DESC, run_at, id
  LIMIT :limit
)
ORDER BY g.key, j.priority DESC, j.run_at, j.id;

-- name: flowClaimJobs
-- The plan's jobs in one statement: :jobs is a JSON array of [id, ready_at].
UPDATE docket_jobs
SET state = 'active', attempt = attempt + 1, worker_id = :worker_id,
    lease_expires_at = :lease_expires_at, started_at = :now, ready_at = v.ready_at
FROM (SELECT value ->> 0 AS id, value ->> 1 AS ready_at FROM json_each(:jobs)) AS v
WHERE docket_jobs.id = v.id AND docket_jobs.state = 'available'
RETURNING *;

-- name: flowSaveQueue
UPDATE docket_queues
SET tokens = :tokens, refilled_at = :refilled_at, group_cursor = :group_cursor, held_at = :held_at,
    group_floor_tokens = :group_floor_tokens, group_floor_at = :group_floor_at,
    group_skipped_at = :group_skipped_at, group_held_at = :group_held_at
WHERE name = :name;

-- name: flowSaveGroups
-- Every group's state in one statement: :groups is a JSON array of
-- [group, tokens, refilled_at, held_at]. (WHERE true keeps SQLite from
-- reading ON CONFLICT as a join constraint.)
INSERT INTO docket_queue_groups (queue, group_key, tokens, refilled_at, held_at)
SELECT :queue, value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(:groups) WHERE true
ON CONFLICT (queue, group_key) DO UPDATE SET
  tokens = excluded.tokens, refilled_at = excluded.refilled_at, held_at = excluded.held_at;

-- name: flowRefresh
-- Recomputes the `flow` flag after a settings change.
UPDATE docket_queues
SET flow = (concurrency IS NOT NULL OR rate_limit IS NOT NULL OR group_concurrency IS NOT NULL
            OR group_rate_limit IS NOT NULL OR fair = 1)
WHERE name = :name
RETURNING *;

-- name: flowUngroupedToMarker
-- After a settings change that leaves a queue walking groups: its unfinished
-- jobs without a group get the group key x'00' so the walk finds them
-- (migration 010). One branch per state, each a seek on the index that holds
-- that state (the scheduled branch repeats docket_jobs_queue_state's
-- condition so the planner may use it); as one filter, it scanned the table.
UPDATE docket_jobs SET group_key = x'00'
WHERE id IN (
  SELECT id FROM docket_jobs WHERE queue = :name AND state = 'available' AND group_key IS NULL
  UNION ALL
  SELECT id FROM docket_jobs WHERE queue = :name AND state = 'active' AND group_key IS NULL
  UNION ALL
  SELECT id FROM docket_jobs
  WHERE queue = :name AND state = 'scheduled' AND state NOT IN ('available', 'active') AND group_key IS NULL
);

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

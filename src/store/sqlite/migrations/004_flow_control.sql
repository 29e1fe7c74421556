-- Flow control, version 4: cluster-wide limits per queue and per group
-- (docs/flow-control.md). Limits live on the queue row, so every claim
-- reads them fresh and a change takes effect on the next claim. Rate limits
-- are token buckets: `tokens` as of `refilled_at`, refilled lazily by the
-- claim. Times are integer ms; rate periods are ms.
ALTER TABLE docket_queues ADD COLUMN concurrency INTEGER CHECK (concurrency IS NULL OR concurrency >= 0);
ALTER TABLE docket_queues ADD COLUMN rate_limit INTEGER CHECK (rate_limit IS NULL OR rate_limit >= 1);
ALTER TABLE docket_queues ADD COLUMN rate_period_ms INTEGER CHECK (rate_period_ms IS NULL OR rate_period_ms >= 1);
ALTER TABLE docket_queues ADD COLUMN rate_burst INTEGER CHECK (rate_burst IS NULL OR rate_burst >= 1);
ALTER TABLE docket_queues ADD COLUMN group_concurrency INTEGER CHECK (group_concurrency IS NULL OR group_concurrency >= 0);
ALTER TABLE docket_queues ADD COLUMN group_rate_limit INTEGER CHECK (group_rate_limit IS NULL OR group_rate_limit >= 1);
ALTER TABLE docket_queues ADD COLUMN group_rate_period_ms INTEGER CHECK (group_rate_period_ms IS NULL OR group_rate_period_ms >= 1);
ALTER TABLE docket_queues ADD COLUMN group_rate_burst INTEGER CHECK (group_rate_burst IS NULL OR group_rate_burst >= 1);
-- Round-robin between groups even without group limits.
ALTER TABLE docket_queues ADD COLUMN fair INTEGER NOT NULL DEFAULT 0 CHECK (fair IN (0, 1));
-- True when any of the above is set: the claim takes the serialised path.
ALTER TABLE docket_queues ADD COLUMN flow INTEGER NOT NULL DEFAULT 0 CHECK (flow IN (0, 1));
ALTER TABLE docket_queues ADD COLUMN tokens REAL;
ALTER TABLE docket_queues ADD COLUMN refilled_at INTEGER;
-- Round-robin turn counter: each group served takes the next number.
ALTER TABLE docket_queues ADD COLUMN turn INTEGER NOT NULL DEFAULT 0;
-- Last claim that found a queue-level limit binding while jobs waited.
ALTER TABLE docket_queues ADD COLUMN held_at INTEGER;

-- Groups of a flow-controlled queue that were served or rate limited.
CREATE TABLE docket_queue_groups (
  queue TEXT NOT NULL,
  group_key TEXT NOT NULL,
  tokens REAL,
  refilled_at INTEGER,
  served_turn INTEGER NOT NULL DEFAULT 0 CHECK (served_turn >= 0),
  held_at INTEGER,
  PRIMARY KEY (queue, group_key)
);

-- The job's group (a user, a tenant), set at enqueue.
ALTER TABLE docket_jobs ADD COLUMN group_key TEXT CHECK (group_key IS NULL OR length(group_key) BETWEEN 1 AND 256);
-- Set at claim: the later of run_at and the last time a flow limit held the
-- job's queue or group back. Waits are measured from here (capacity stats).
ALTER TABLE docket_jobs ADD COLUMN ready_at INTEGER;
-- Round-robin walks the groups of a queue (a loose index scan) and their heads.
CREATE INDEX docket_jobs_group_claim ON docket_jobs (queue, group_key, priority DESC, run_at, id)
  WHERE state = 'available';
CREATE INDEX docket_jobs_group_active ON docket_jobs (queue, group_key) WHERE state = 'active';

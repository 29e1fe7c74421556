-- Flow control, version 4 (PostgreSQL); same as SQLite's 004: cluster-wide limits per queue and per group
-- (docs/flow-control.md). Limits live on the queue row, so every claim
-- reads them fresh and a change takes effect on the next claim. Rate limits
-- are token buckets: `tokens` as of `refilled_at`, refilled lazily by the
-- claim. Times are integer ms; rate periods are ms.
ALTER TABLE {schema}.queues ADD COLUMN concurrency integer CHECK (concurrency IS NULL OR concurrency >= 0);
ALTER TABLE {schema}.queues ADD COLUMN rate_limit integer CHECK (rate_limit IS NULL OR rate_limit >= 1);
ALTER TABLE {schema}.queues ADD COLUMN rate_period_ms bigint CHECK (rate_period_ms IS NULL OR rate_period_ms >= 1);
ALTER TABLE {schema}.queues ADD COLUMN rate_burst integer CHECK (rate_burst IS NULL OR rate_burst >= 1);
ALTER TABLE {schema}.queues ADD COLUMN group_concurrency integer CHECK (group_concurrency IS NULL OR group_concurrency >= 0);
ALTER TABLE {schema}.queues ADD COLUMN group_rate_limit integer CHECK (group_rate_limit IS NULL OR group_rate_limit >= 1);
ALTER TABLE {schema}.queues ADD COLUMN group_rate_period_ms bigint CHECK (group_rate_period_ms IS NULL OR group_rate_period_ms >= 1);
ALTER TABLE {schema}.queues ADD COLUMN group_rate_burst integer CHECK (group_rate_burst IS NULL OR group_rate_burst >= 1);
-- Round-robin between groups even without group limits.
ALTER TABLE {schema}.queues ADD COLUMN fair boolean NOT NULL DEFAULT false;
-- True when any of the above is set: the claim takes the serialised path.
ALTER TABLE {schema}.queues ADD COLUMN flow boolean NOT NULL DEFAULT false;
ALTER TABLE {schema}.queues ADD COLUMN tokens double precision;
ALTER TABLE {schema}.queues ADD COLUMN refilled_at bigint;
-- Round-robin turn counter: each group served takes the next number.
ALTER TABLE {schema}.queues ADD COLUMN turn bigint NOT NULL DEFAULT 0;
-- Last claim that found a queue-level limit binding while jobs waited.
ALTER TABLE {schema}.queues ADD COLUMN held_at bigint;

-- Groups of a flow-controlled queue that were served or rate limited.
CREATE TABLE {schema}.queue_groups (
  queue text NOT NULL,
  group_key text NOT NULL,
  tokens double precision,
  refilled_at bigint,
  served_turn bigint NOT NULL DEFAULT 0 CHECK (served_turn >= 0),
  held_at bigint,
  PRIMARY KEY (queue, group_key)
);

-- The job's group (a user, a tenant), set at enqueue.
ALTER TABLE {schema}.jobs ADD COLUMN group_key text CHECK (group_key IS NULL OR char_length(group_key) BETWEEN 1 AND 256);
-- Set at claim: the later of run_at and the last time a flow limit held the
-- job's queue or group back. Waits are measured from here (capacity stats).
ALTER TABLE {schema}.jobs ADD COLUMN ready_at bigint;
-- Round-robin walks the groups of a queue (a loose index scan) and their heads.
CREATE INDEX jobs_group_claim ON {schema}.jobs (queue, group_key, priority DESC, run_at, id)
  WHERE state = 'available';
CREATE INDEX jobs_group_active ON {schema}.jobs (queue, group_key) WHERE state = 'active';

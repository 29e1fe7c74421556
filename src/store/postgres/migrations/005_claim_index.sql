-- The claim must walk jobs_claim in claim order and stop at LIMIT. The old
-- jobs_queue_state (queue, state) matched the claim's predicates exactly, and
-- on a freshly loaded table, before autovacuum gathered statistics, the
-- planner preferred it: it fetched every available row and sorted them (34 ms
-- a claim at 50,000 waiting). Without available rows it cannot serve a claim;
-- available jobs are counted through jobs_claim instead.
DROP INDEX {schema}.jobs_queue_state;
CREATE INDEX jobs_queue_state ON {schema}.jobs (queue, state) WHERE state <> 'available';

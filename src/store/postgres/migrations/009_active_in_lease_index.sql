-- Version 9 (same change as SQLite's 008): an active job has one index entry
-- for being active instead of two. jobs_lease leads with the queue, so it
-- serves both the reclaimer (every active job, few by nature) and the count
-- of a queue's active jobs (flow control, the job counts), and
-- jobs_queue_state leaves active jobs out as it already leaves out available
-- ones. A job's claim writes one index entry fewer (each of its writes is a
-- new row version with entries in every index whose predicate it meets).
DROP INDEX {schema}.jobs_lease;
CREATE INDEX jobs_lease ON {schema}.jobs (queue, lease_expires_at) WHERE state = 'active';
DROP INDEX {schema}.jobs_queue_state;
CREATE INDEX jobs_queue_state ON {schema}.jobs (queue, state) WHERE state NOT IN ('available', 'active');

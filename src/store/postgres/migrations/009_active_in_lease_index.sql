-- Version 9 (same change as SQLite's 008): an active job has one index entry
-- for being active instead of up to three. jobs_lease leads with the queue
-- and the group, so it serves the reclaimer (every active job, few by
-- nature), the count of a queue's active jobs and the count of a group's
-- (flow control, the job counts); jobs_group_active goes, and
-- jobs_queue_state leaves active jobs out as it already leaves out
-- available ones. A job's claim writes one or two index entries fewer
-- (each of its writes is a new row version with entries in every index
-- whose predicate it meets). With one index for active jobs, no count of
-- them can be planned on an index that does not bound it: a group's count
-- on a queue-only index would read every active job of the queue.
DROP INDEX {schema}.jobs_lease;
DROP INDEX {schema}.jobs_group_active;
CREATE INDEX jobs_lease ON {schema}.jobs (queue, group_key, lease_expires_at) WHERE state = 'active';
DROP INDEX {schema}.jobs_queue_state;
CREATE INDEX jobs_queue_state ON {schema}.jobs (queue, state) WHERE state NOT IN ('available', 'active');

-- Version 6 (PostgreSQL's 006 also moves the claim of limited queues into
-- the server): active jobs without a group are never counted per group, so
-- leaving them out of the index spares every claim and finish an entry.
DROP INDEX docket_jobs_group_active;
CREATE INDEX docket_jobs_group_active ON docket_jobs (queue, group_key) WHERE state = 'active' AND group_key IS NOT NULL;

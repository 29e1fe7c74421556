-- Same change as PostgreSQL's 005: docket_jobs_queue_state no longer holds
-- available jobs, so it can never be chosen for a claim (docket_jobs_claim
-- walks claim order), and claiming or enqueueing touches one index fewer.
-- Available jobs are counted through docket_jobs_claim.
DROP INDEX docket_jobs_queue_state;
CREATE INDEX docket_jobs_queue_state ON docket_jobs (queue, state) WHERE state <> 'available';

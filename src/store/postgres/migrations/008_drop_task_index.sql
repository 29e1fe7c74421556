-- Version 8: no index on task. A job's state change is never a HOT update
-- (state is in the predicates of the partial indexes), so each of a job's
-- three writes (enqueue, claim, finish) added an entry to jobs_task; a
-- drain of 50,000 no-op jobs at concurrency 100 ran about 13 % faster
-- without it. Only the job list filters by task: it walks jobs newest first
-- and filters, as the SQLite store always has.
DROP INDEX {schema}.jobs_task;

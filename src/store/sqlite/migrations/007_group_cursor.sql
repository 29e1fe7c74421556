-- Version 7: round-robin between groups by a cursor in key order instead
-- of least recently served (same change as PostgreSQL's 007). The queue
-- row keeps the group served last; a claim serves the groups after it, in
-- docket_jobs_group_claim's order, wrapping around. Each step of that walk
-- is one index seek that also yields the group's first job, so a claim
-- reads only as many groups as it serves; least recently served had to
-- read every waiting group (and sort them) to find the first.
ALTER TABLE docket_queues ADD COLUMN group_cursor TEXT;
-- The turn counters of least recently served are dropped rather than left
-- unmaintained: a column nothing reads would only mislead. (A process of an
-- older version still running on the same file fails its limited claims
-- until it is restarted.)
ALTER TABLE docket_queues DROP COLUMN turn;
ALTER TABLE docket_queue_groups DROP COLUMN served_turn;

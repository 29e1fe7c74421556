-- Flow control's fast path (src/store/flow/plan.ts; PostgreSQL's 010 is the
-- same change): a claim of a queue with group limits that cannot bind in it
-- reads and writes no group rows. The queue row keeps what that needs:
-- group_floor_* is a bucket with the group rate's settings that every start
-- takes a token from, so no group's own bucket holds fewer (limits.ts
-- floorTokens); group_skipped_at is the last claim that took jobs without
-- writing the groups' buckets (a bucket stored before it is read as the
-- floor); group_held_at is the last time a group was held back, cleared
-- when a claim finds the queue empty (while set, the fast path is off, as
-- groups' hold times may matter to their jobs' ready times).
ALTER TABLE docket_queues ADD COLUMN group_floor_tokens REAL;
ALTER TABLE docket_queues ADD COLUMN group_floor_at INTEGER;
ALTER TABLE docket_queues ADD COLUMN group_skipped_at INTEGER;
ALTER TABLE docket_queues ADD COLUMN group_held_at INTEGER;
-- A queue that held a group before this version may have jobs whose ready
-- time depends on it: keep the fast path off until it is next found empty.
UPDATE docket_queues SET group_held_at = 0
WHERE EXISTS (SELECT 1 FROM docket_queue_groups g WHERE g.queue = docket_queues.name AND g.held_at IS NOT NULL);

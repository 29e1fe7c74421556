-- SQLite only: a job without a group has an entry in docket_jobs_group_claim
-- only when its queue takes jobs round-robin by group (group limits or
-- fairness), the only claims that read that index. Before, every waiting job
-- had an entry there as well as in docket_jobs_claim, and each enqueue wrote
-- that index's page to the WAL too: a single awaited enqueue of a job
-- without a group ran about a fifth faster without it (21,000 against
-- 25,300 a second, four alternating runs).
--
-- The walk finds the jobs without a group (its '' group) by an equality
-- seek, so in a queue that walks groups they are stored with the group key
-- x'00', a one-byte BLOB: no group a user sets can equal it (groups are
-- text), it passes the column's length check, and it sorts after every text
-- key, so the seeks for the next group bound their range below it. Every
-- read maps it back to no group. The enqueue and retry statements store it
-- for such a queue, a settings change that starts a walk rewrites the
-- queue's unfinished jobs (flowUngroupedToMarker), and this rewrites the
-- ones already there.
--
-- walks_groups says whether a queue walks groups, derived from its settings
-- (as isGrouped in src/store/flow/limits.ts), so each statement that stores
-- the marker reads the rule from one place.
ALTER TABLE docket_queues ADD COLUMN walks_groups INTEGER
  GENERATED ALWAYS AS (group_concurrency IS NOT NULL OR group_rate_limit IS NOT NULL OR fair = 1) VIRTUAL;
UPDATE docket_jobs SET group_key = x'00'
WHERE group_key IS NULL AND state IN ('scheduled', 'available', 'active')
  AND queue IN (SELECT name FROM docket_queues WHERE walks_groups);
DROP INDEX docket_jobs_group_claim;
CREATE INDEX docket_jobs_group_claim ON docket_jobs (queue, group_key, priority DESC, run_at, id)
  WHERE state = 'available' AND group_key IS NOT NULL;

-- Queue statistics statements; loaded with queries.sql.

-- name: statsBucket
SELECT * FROM docket_queue_stats WHERE queue = :queue AND bucket = :bucket;

-- name: upsertStatsBucket
INSERT INTO docket_queue_stats
  (queue, bucket, arrivals, starts, completions, failures, wait_ms_sum, run_ms_sum, wait_hist, run_hist)
VALUES (:queue, :bucket, :arrivals, :starts, :completions, :failures, :wait_ms_sum, :run_ms_sum, :wait_hist, :run_hist)
ON CONFLICT (queue, bucket) DO UPDATE SET
  arrivals = excluded.arrivals, starts = excluded.starts, completions = excluded.completions,
  failures = excluded.failures, wait_ms_sum = excluded.wait_ms_sum, run_ms_sum = excluded.run_ms_sum,
  wait_hist = excluded.wait_hist, run_hist = excluded.run_hist;

-- name: readStats
SELECT * FROM docket_queue_stats
WHERE bucket >= :since AND (:queue IS NULL OR queue = :queue)
ORDER BY queue, bucket;

-- name: pruneStats
DELETE FROM docket_queue_stats WHERE bucket < :before;

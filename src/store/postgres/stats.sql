-- Queue statistics statements (PostgreSQL); loaded with queries.sql.

-- name: addStats
-- Adds every bucket of the batch in one statement. The sums happen in the
-- upsert itself, so hosts flushing the same minute at once never lose each
-- other's counts (no read-modify-write in the client). Histograms merge by
-- adding the counts of equal keys.
INSERT INTO {schema}.queue_stats AS s
  (queue, bucket, arrivals, starts, completions, failures, wait_ms_sum, run_ms_sum, wait_hist, run_hist)
SELECT v.queue, v.bucket, v.arrivals, v.starts, v.completions, v.failures, v.wait_ms_sum, v.run_ms_sum,
       v.wait_hist::jsonb, v.run_hist::jsonb
FROM unnest(:queues::text[], :buckets::bigint[], :arrivals::bigint[], :starts::bigint[], :completions::bigint[],
            :failures::bigint[], :wait_ms_sums::float8[], :run_ms_sums::float8[], :wait_hists::text[], :run_hists::text[])
     AS v(queue, bucket, arrivals, starts, completions, failures, wait_ms_sum, run_ms_sum, wait_hist, run_hist)
ORDER BY v.queue, v.bucket
ON CONFLICT (queue, bucket) DO UPDATE SET
  arrivals = s.arrivals + excluded.arrivals,
  starts = s.starts + excluded.starts,
  completions = s.completions + excluded.completions,
  failures = s.failures + excluded.failures,
  wait_ms_sum = s.wait_ms_sum + excluded.wait_ms_sum,
  run_ms_sum = s.run_ms_sum + excluded.run_ms_sum,
  wait_hist = (SELECT coalesce(jsonb_object_agg(key, total), '{}') FROM (
    SELECT key, sum(value::numeric) AS total
    FROM (SELECT * FROM jsonb_each_text(s.wait_hist) UNION ALL SELECT * FROM jsonb_each_text(excluded.wait_hist)) h
    GROUP BY key) merged),
  run_hist = (SELECT coalesce(jsonb_object_agg(key, total), '{}') FROM (
    SELECT key, sum(value::numeric) AS total
    FROM (SELECT * FROM jsonb_each_text(s.run_hist) UNION ALL SELECT * FROM jsonb_each_text(excluded.run_hist)) h
    GROUP BY key) merged);

-- name: readStats
SELECT * FROM {schema}.queue_stats
WHERE bucket >= :since::bigint AND (:queue::text IS NULL OR queue = :queue::text)
ORDER BY queue, bucket;

-- name: pruneStats
DELETE FROM {schema}.queue_stats WHERE bucket < :before::bigint;

-- Queue statistics, version 3: one row per queue per minute, to which every
-- process adds what it measured (arrivals, starts, finishes, wait and run
-- time histograms). The capacity model and the dashboard's charts read them.
CREATE TABLE docket_queue_stats (
  queue TEXT NOT NULL,
  bucket INTEGER NOT NULL,
  arrivals INTEGER NOT NULL DEFAULT 0,
  starts INTEGER NOT NULL DEFAULT 0,
  completions INTEGER NOT NULL DEFAULT 0,
  failures INTEGER NOT NULL DEFAULT 0,
  wait_ms_sum REAL NOT NULL DEFAULT 0,
  run_ms_sum REAL NOT NULL DEFAULT 0,
  wait_hist TEXT NOT NULL DEFAULT '{}',
  run_hist TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (queue, bucket),
  CHECK (bucket % 60000 = 0)
);
CREATE INDEX docket_queue_stats_bucket ON docket_queue_stats (bucket);

-- The caller's trace context (W3C traceparent/tracestate, as JSON) so the
-- worker can continue the enqueuer's trace around the run.
ALTER TABLE docket_jobs ADD COLUMN trace_context TEXT;

-- Queue statistics, version 3 (PostgreSQL); same as SQLite's 003: one row
-- per queue per minute, to which every process on every host adds what it
-- measured. The capacity model and the dashboard's charts read them.
CREATE TABLE {schema}.queue_stats (
  queue text NOT NULL,
  bucket bigint NOT NULL,
  arrivals bigint NOT NULL DEFAULT 0,
  starts bigint NOT NULL DEFAULT 0,
  completions bigint NOT NULL DEFAULT 0,
  failures bigint NOT NULL DEFAULT 0,
  wait_ms_sum double precision NOT NULL DEFAULT 0,
  run_ms_sum double precision NOT NULL DEFAULT 0,
  wait_hist jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(wait_hist) = 'object'),
  run_hist jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(run_hist) = 'object'),
  PRIMARY KEY (queue, bucket),
  CONSTRAINT queue_stats_whole_minute CHECK (bucket % 60000 = 0)
);
CREATE INDEX queue_stats_bucket ON {schema}.queue_stats (bucket);

-- The caller's trace context (W3C traceparent/tracestate, as JSON) so the
-- worker can continue the enqueuer's trace around the run.
ALTER TABLE {schema}.jobs ADD COLUMN trace_context json;

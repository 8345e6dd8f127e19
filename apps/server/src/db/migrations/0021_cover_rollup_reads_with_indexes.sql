-- Dashboards read hourly and daily step rollups by journey and time; these covering indexes let
-- PostgreSQL answer from the index alone (index-only scans) instead of visiting one heap page per row.
CREATE INDEX step_rollup_hour_reads_idx ON step_rollup_hour (journey, bucket) INCLUDE (step, synthetic, outcome, events);
CREATE INDEX step_rollup_day_reads_idx ON step_rollup_day (journey, bucket) INCLUDE (step, synthetic, outcome, events);

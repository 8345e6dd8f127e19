-- Journey analytics, all maintained by the runs projection in the transaction that stores events
-- (see docs/adr/0020-analytics-maintained-in-the-storing-transaction.md) except probe periods and
-- incidents, which the analytics pass derives from them.

-- Adds two latency histograms bucket by bucket (arrays of equal length; a shorter one counts as 0).
CREATE FUNCTION vigie_hist_add(a bigint[], b bigint[]) RETURNS bigint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY i), '{}')
  FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i)
$$;

CREATE AGGREGATE vigie_hist_sum(bigint[]) (sfunc = vigie_hist_add, stype = bigint[], initcond = '{}');

-- One row per run (journey + runId): the fold of its events, independent of their arrival order.
CREATE TABLE runs (
  journey text NOT NULL,
  run_id text NOT NULL,
  synthetic boolean NOT NULL,
  event_count integer NOT NULL,
  first_at timestamptz NOT NULL,
  last_at timestamptz NOT NULL,
  -- index of the furthest step reached in the journey's declared order
  furthest_step smallint NOT NULL,
  -- the latest event by (time, step, outcome rank, error code): decides "failed"
  last_event_at timestamptz NOT NULL,
  last_step smallint NOT NULL,
  last_outcome text NOT NULL,
  last_error_code text NOT NULL DEFAULT '',
  completed_at timestamptz,
  rejected_at timestamptz,
  rejected_step smallint,
  error_count integer NOT NULL DEFAULT 0,
  first_error_at timestamptz,
  last_error_at timestamptz,
  outcome text NOT NULL CHECK (outcome IN ('completed', 'failed', 'rejected', 'abandoned', 'in_progress')),
  product text NOT NULL DEFAULT '',
  channel text NOT NULL DEFAULT '',
  attributes jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (journey, run_id)
);
CREATE INDEX runs_journey_first_at_idx ON runs (journey, first_at DESC);
CREATE INDEX runs_first_at_idx ON runs (first_at DESC);
CREATE INDEX runs_in_progress_idx ON runs (last_at) WHERE outcome = 'in_progress';
CREATE INDEX runs_errors_idx ON runs (journey, last_error_at) WHERE error_count > 0 AND NOT synthetic;

-- Runs by the hour (UTC) and the local day (configured timezone) they started, with where they got
-- to and how they ended: funnels read these, never the runs. Kept exact by +1/-1 deltas.
CREATE TABLE run_cohorts_hour (
  journey text NOT NULL,
  bucket timestamptz NOT NULL,
  synthetic boolean NOT NULL,
  product text NOT NULL,
  channel text NOT NULL,
  furthest_step smallint NOT NULL,
  outcome text NOT NULL,
  recovered boolean NOT NULL,
  -- index of the time-to-convert bucket, -1 when not completed
  convert_bucket smallint NOT NULL,
  runs bigint NOT NULL,
  PRIMARY KEY (journey, bucket, synthetic, product, channel, furthest_step, outcome, recovered, convert_bucket)
);
CREATE TABLE run_cohorts_day (LIKE run_cohorts_hour INCLUDING ALL);

-- Step outcomes per minute, hour (UTC) and local day (configured timezone), with latency histograms.
CREATE TABLE step_rollup_minute (
  journey text NOT NULL,
  bucket timestamptz NOT NULL,
  step text NOT NULL,
  synthetic boolean NOT NULL,
  outcome text NOT NULL,
  error_code text NOT NULL,
  product text NOT NULL,
  channel text NOT NULL,
  events bigint NOT NULL,
  duration_count bigint NOT NULL,
  duration_sum double precision NOT NULL,
  histogram bigint[] NOT NULL,
  PRIMARY KEY (journey, bucket, step, synthetic, outcome, error_code, product, channel)
);
CREATE TABLE step_rollup_hour (LIKE step_rollup_minute INCLUDING ALL);
CREATE TABLE step_rollup_day (LIKE step_rollup_minute INCLUDING ALL);

-- Judgements of settled probe runs, per journey (step = '') and per step, with the N/M state machine
-- after each one so that a late run replays from the judgement just before it.
CREATE TABLE probe_judgements (
  journey text NOT NULL,
  step text NOT NULL,
  at timestamptz NOT NULL,
  run_id text NOT NULL,
  failed boolean NOT NULL,
  -- machine state after this judgement; null until replayed
  down boolean,
  fail_streak integer,
  ok_streak integer,
  streak_start timestamptz,
  down_since timestamptz,
  PRIMARY KEY (journey, step, at, run_id)
);

-- Earliest judgement time changed since the last replay, per series.
CREATE TABLE probe_dirty (
  journey text NOT NULL,
  step text NOT NULL,
  since timestamptz NOT NULL,
  PRIMARY KEY (journey, step)
);

-- Confirmed probe down periods and stale gaps (no judged run for too long), per series.
CREATE TABLE probe_periods (
  journey text NOT NULL,
  step text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('down', 'stale')),
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  PRIMARY KEY (journey, step, kind, started_at)
);

-- Current state of each series after the last replay.
CREATE TABLE probe_series (
  journey text NOT NULL,
  step text NOT NULL,
  first_at timestamptz NOT NULL,
  last_at timestamptz NOT NULL,
  down boolean NOT NULL,
  down_since timestamptz,
  PRIMARY KEY (journey, step)
);

CREATE TABLE incidents (
  id bigserial PRIMARY KEY,
  journey text NOT NULL,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  failing_step text,
  top_error_codes jsonb NOT NULL DEFAULT '[]',
  runs_affected integer NOT NULL DEFAULT 0,
  prospects_affected integer NOT NULL DEFAULT 0,
  seen_by_probes boolean NOT NULL DEFAULT false,
  seen_by_traffic boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incidents_journey_started_idx ON incidents (journey, started_at DESC);
CREATE INDEX incidents_open_idx ON incidents (journey) WHERE ended_at IS NULL;

-- Identity of every event ever accepted: (source, id) is stored once, whatever its time.
CREATE TABLE event_keys (
  source text NOT NULL,
  id text NOT NULL,
  time timestamptz NOT NULL,
  PRIMARY KEY (source, id)
);

-- One row per step outcome, partitioned by event time (one partition a month, UTC) so that old
-- data is dropped a partition at a time. Personal data never lands here: see prospects.
CREATE TABLE events (
  time timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  source text NOT NULL,
  id text NOT NULL,
  journey text NOT NULL,
  step text NOT NULL,
  run_id text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('started', 'ok', 'error', 'rejected')),
  duration_ms double precision,
  error_code text,
  error_message text,
  synthetic boolean NOT NULL DEFAULT false,
  attributes jsonb,
  subject text,
  extensions jsonb
) PARTITION BY RANGE (time);

CREATE INDEX events_journey_run_idx ON events (journey, run_id);
CREATE INDEX events_time_brin ON events USING brin (time);

-- Creates the monthly partitions covering [from_month, to_month]; safe to call concurrently.
CREATE FUNCTION vigie_ensure_event_partitions(from_month date, to_month date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  month date := date_trunc('month', from_month)::date;
  created integer := 0;
  name text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('vigie_ensure_event_partitions'));
  WHILE month <= to_month LOOP
    name := format('events_%s', to_char(month, 'YYYYMM'));
    IF to_regclass(name) IS NULL THEN
      EXECUTE format(
        'CREATE TABLE %I PARTITION OF events FOR VALUES FROM (%L) TO (%L)',
        name,
        month::timestamp AT TIME ZONE 'UTC',
        (month + interval '1 month')::timestamp AT TIME ZONE 'UTC'
      );
      created := created + 1;
    END IF;
    month := (month + interval '1 month')::date;
  END LOOP;
  RETURN created;
END;
$$;

-- Personal data of prospects, one row per run, kept apart so it can be access-controlled and
-- purged without touching events.
CREATE TABLE prospects (
  journey text NOT NULL,
  run_id text NOT NULL,
  details jsonb NOT NULL,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (journey, run_id)
);

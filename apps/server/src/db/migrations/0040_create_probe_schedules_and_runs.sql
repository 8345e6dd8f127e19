-- Schedule of each probe, shared by every Vigie instance: the next planned start survives restarts,
-- and the lease (owner + expiry) makes sure that two instances never run the same probe at once.
CREATE TABLE probe_schedules (
  probe text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('http', 'browser')),
  -- fingerprint of the schedule in the probe file: when it changes, next_run_at is recomputed
  schedule text NOT NULL,
  paused boolean NOT NULL DEFAULT false,
  next_run_at timestamptz NOT NULL,
  lease_owner text,
  lease_until timestamptz,
  last_run_id text,
  last_run_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX probe_schedules_due_idx ON probe_schedules (kind, next_run_at) WHERE NOT paused;

-- One row per probe run: outcome, step timings and assertion results, console errors and the
-- failure screenshot (kept for the last attempt only). The run id is the events' data.runId.
CREATE TABLE probe_runs (
  run_id text PRIMARY KEY,
  probe text NOT NULL,
  journey text NOT NULL,
  kind text NOT NULL,
  location text NOT NULL,
  trigger text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
  scheduled_at timestamptz,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('passed', 'failed')),
  failed_step text,
  error_code text,
  error_message text,
  cleanup_ok boolean,
  attempts jsonb NOT NULL,
  console_errors jsonb NOT NULL DEFAULT '[]',
  screenshot bytea
);
CREATE INDEX probe_runs_probe_started_idx ON probe_runs (probe, started_at DESC);
CREATE INDEX probe_runs_started_idx ON probe_runs (started_at DESC);

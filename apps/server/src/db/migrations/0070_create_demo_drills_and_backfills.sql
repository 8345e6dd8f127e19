-- Fault drills: a fault injected at a known time, and how long the detection chain took to notice
-- it (first failing event received, incident opened, alert sent). Kept to show and compare.
CREATE TABLE demo_drills (
  id bigserial PRIMARY KEY,
  -- start of the schedule slot of a scheduled drill: one drill per slot, whatever the instances
  slot timestamptz UNIQUE,
  trigger text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
  mode text NOT NULL CHECK (mode IN ('bank', 'synthetic')),
  journey text NOT NULL,
  step text NOT NULL,
  error_code text NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
  injected_at timestamptz NOT NULL,
  fault_until timestamptz NOT NULL,
  watch_until timestamptz NOT NULL,
  -- the demo bank's id of the injected fault (bank mode)
  fault_id text,
  first_failing_event_at timestamptz,
  incident_opened_at timestamptz,
  incident_id text,
  alert_sent_at timestamptz,
  notes jsonb NOT NULL DEFAULT '[]',
  finished_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX demo_drills_injected_idx ON demo_drills (injected_at DESC);
CREATE INDEX demo_drills_running_idx ON demo_drills (id) WHERE status = 'running';

-- History generated for the demo; a finished row means the first-start backfill is done.
CREATE TABLE demo_backfills (
  id bigserial PRIMARY KEY,
  journey text NOT NULL,
  from_time timestamptz NOT NULL,
  to_time timestamptz NOT NULL,
  runs integer NOT NULL DEFAULT 0,
  events integer NOT NULL DEFAULT 0,
  accepted integer NOT NULL DEFAULT 0,
  duplicates integer NOT NULL DEFAULT 0,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX demo_backfills_journey_idx ON demo_backfills (journey, finished_at);

-- Alerting: rules (from the configuration file and the API), the state of every alert, silences
-- and maintenance windows, and the notification outbox with its delivery log.

-- Rules as evaluated. Rules from the file are re-seeded when the file's version of them changes
-- (config_hash); a rule edited through the API keeps its edit until then.
CREATE TABLE alert_rules (
  key text PRIMARY KEY,
  definition jsonb NOT NULL,
  origin text NOT NULL CHECK (origin IN ('config', 'api')),
  config_hash text,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text
);

-- One alert per rule and group (e.g. journey): its state machine, persisted after each evaluation
-- in the same transaction as the notifications it decides.
CREATE TABLE alerts (
  id bigserial PRIMARY KEY,
  rule_key text NOT NULL,
  group_key text NOT NULL,
  kind text NOT NULL,
  severity text NOT NULL,
  journey text,
  step text,
  status text NOT NULL CHECK (status IN ('inactive', 'pending', 'firing')),
  flapping boolean NOT NULL DEFAULT false,
  state jsonb NOT NULL,
  -- figures of the last evaluation (error rate, runs, p95…), shown in the API and the messages
  facts jsonb NOT NULL DEFAULT '{}',
  held_by text,
  evaluated_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (rule_key, group_key)
);
CREATE INDEX alerts_firing_idx ON alerts (journey) WHERE status = 'firing';

-- Firing episodes, kept for the timeline and to leave broken weeks out of volume baselines.
CREATE TABLE alert_episodes (
  alert_id bigint NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  journey text,
  kind text NOT NULL,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  PRIMARY KEY (alert_id, started_at)
);
CREATE INDEX alert_episodes_journey_idx ON alert_episodes (journey, started_at);

-- Silences hold notifications; maintenance windows also leave their time out of volume baselines.
-- Times are wall-clock times in time_zone; rrule repeats the first window.
CREATE TABLE silences (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('silence', 'maintenance')),
  journey text,
  step text,
  rule_key text,
  starts_at text NOT NULL,
  ends_at text NOT NULL,
  time_zone text NOT NULL,
  rrule text,
  comment text NOT NULL DEFAULT '',
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz
);

-- The outbox: one row per notice and channel, written with the state change that caused it.
CREATE TABLE notifications (
  id bigserial PRIMARY KEY,
  alert_id bigint REFERENCES alerts (id) ON DELETE SET NULL,
  notice text NOT NULL,
  audience text NOT NULL,
  channel text NOT NULL,
  channel_kind text NOT NULL,
  message jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- a sender owns a 'sending' row until then; after a crash another one takes it over
  lease_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);
CREATE INDEX notifications_due_idx ON notifications (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX notifications_alert_idx ON notifications (alert_id, id);
CREATE INDEX notifications_created_idx ON notifications (created_at DESC);

-- Every delivery attempt, for the delivery log.
CREATE TABLE notification_attempts (
  notification_id bigint NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  attempt integer NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('delivered', 'retry', 'failed')),
  http_status integer,
  error text,
  PRIMARY KEY (notification_id, attempt)
);

-- Health of each channel: a channel that keeps failing is reported through the audience's others.
CREATE TABLE channel_health (
  audience text NOT NULL,
  channel text NOT NULL,
  consecutive_failures integer NOT NULL DEFAULT 0,
  down_since timestamptz,
  last_delivered_at timestamptz,
  last_failed_at timestamptz,
  PRIMARY KEY (audience, channel)
);

-- Recent probe runs of a journey are read at each decisive probe event: keep that read small
-- whatever the volume of real traffic (probe events are a small share of all events).
CREATE INDEX events_synthetic_journey_time_idx ON events (journey, time) WHERE synthetic;

-- Prospects affected by an alert are the real runs with a technical error in its episode: a small
-- share of events, read when an alert fires or resolves.
CREATE INDEX events_real_errors_journey_time_idx ON events (journey, time) WHERE outcome = 'error' AND NOT synthetic;

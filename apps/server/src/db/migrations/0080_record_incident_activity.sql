-- Incident workflow (ADR 0023, ADR 0080): when each incident was first detected, and its activity:
-- state changes recorded by the analytics pass, acknowledgements and notes written by people.

-- Unknown before this migration: the incident's start is the closest bound we have.
ALTER TABLE incidents ADD COLUMN created_at timestamptz;
UPDATE incidents SET created_at = started_at;
ALTER TABLE incidents ALTER COLUMN created_at SET NOT NULL, ALTER COLUMN created_at SET DEFAULT now();

-- One row per thing that happened to an incident, in the order it happened.
-- No foreign key to incidents: a withdrawn incident's row is deleted by the analytics pass but its
-- history (and the notes people wrote) stays; a merged incident's history moves to the survivor.
CREATE TABLE incident_activity (
  id bigserial PRIMARY KEY,
  incident_id bigint NOT NULL,
  kind text NOT NULL CHECK (
    kind IN ('opened', 'changed', 'merged', 'closed', 'reopened', 'withdrawn', 'acknowledged', 'note')
  ),
  at timestamptz NOT NULL DEFAULT now(),
  -- the user who did it; null for the analytics pass
  by_user uuid REFERENCES users (id) ON DELETE SET NULL,
  -- what changed (failing step, sources, end), or which incident was merged in
  details jsonb NOT NULL DEFAULT '{}',
  -- the text of a note
  note text CHECK (note IS NULL OR length(note) <= 4000)
);
CREATE INDEX incident_activity_incident_idx ON incident_activity (incident_id, at, id);
-- "acknowledged?" for the incidents list (filter and column)
CREATE INDEX incident_activity_acknowledged_idx ON incident_activity (incident_id, at) WHERE kind = 'acknowledged';

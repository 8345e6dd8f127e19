-- Single sign-on settings saved by an admin from the UI; when present they replace `auth.oidc` of
-- the configuration file (a row holding NULL turns single sign-on off). One row at most.
CREATE TABLE sso_settings (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  settings jsonb,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES users (id) ON DELETE SET NULL
);

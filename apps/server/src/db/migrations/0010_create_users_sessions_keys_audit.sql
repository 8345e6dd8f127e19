-- People who sign in to Vigie. A user signs in with a password, with single sign-on, or both.
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username text NOT NULL,
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'operator', 'viewer', 'sales')),
  -- argon2id PHC string; NULL for an account that signs in only through single sign-on.
  password_hash text,
  -- Set for a one-time password given by an admin or printed at first start: it must be changed.
  must_change_password boolean NOT NULL DEFAULT false,
  -- Base32 TOTP secret; enabled once a first code is confirmed.
  totp_secret text,
  totp_enabled_at timestamptz,
  -- Last accepted TOTP time step: a code of this step or an earlier one is refused (single use).
  totp_last_step bigint,
  oidc_issuer text,
  oidc_subject text,
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((oidc_issuer IS NULL) = (oidc_subject IS NULL))
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_oidc_key ON users (oidc_issuer, oidc_subject) WHERE oidc_subject IS NOT NULL;

-- Server-side sessions. Only a SHA-256 of the cookie's token is stored: a copy of this table does
-- not let anyone sign in.
CREATE TABLE sessions (
  token_hash bytea PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ended_at timestamptz,
  ended_reason text,
  address text,
  method text NOT NULL CHECK (method IN ('password', 'oidc', 'test'))
);
CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE ended_at IS NULL;

-- Failed sign-ins, for rate limiting per account and per address (kept for the limit window only).
CREATE TABLE sign_in_failures (
  at timestamptz NOT NULL DEFAULT now(),
  account text NOT NULL,
  address text NOT NULL
);
CREATE INDEX sign_in_failures_account_idx ON sign_in_failures (account, at);
CREATE INDEX sign_in_failures_address_idx ON sign_in_failures (address, at);

-- Pending single sign-on attempts: state → PKCE verifier and nonce, used once.
CREATE TABLE oidc_attempts (
  state text PRIMARY KEY,
  code_verifier text NOT NULL,
  nonce text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- API keys: ingest keys (POST /api/v1/events only) and read keys (GET only, as a role).
-- Only a SHA-256 of the key is stored; the key is shown once, at creation.
CREATE TABLE api_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('ingest', 'read')),
  name text NOT NULL,
  -- Ingest keys: the CloudEvents source this key may send for (NULL: any source).
  source text,
  -- Read keys: the role the key reads as.
  role text CHECK (role IN ('admin', 'operator', 'viewer', 'sales')),
  -- First characters of the key, to recognise it in a list.
  prefix text NOT NULL,
  secret_hash bytea NOT NULL UNIQUE,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  CHECK ((kind = 'read') = (role IS NOT NULL))
);

-- Who did what, when, from where. Append-only: no personal data (user ids, never names or e-mails).
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  action text NOT NULL,
  outcome text NOT NULL DEFAULT 'success' CHECK (outcome IN ('success', 'failure')),
  actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'key', 'system', 'anonymous')),
  actor_id text,
  target_kind text,
  target_id text,
  address text,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);

CREATE FUNCTION vigie_audit_log_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION vigie_audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION vigie_audit_log_is_append_only();

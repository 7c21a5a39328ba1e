-- Organisations, teams and staff. Statements are separated by lines holding only "--;".
CREATE TABLE organisations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('police_force', 'cps_area', 'support_service')),
  name text NOT NULL UNIQUE,
  -- The two-digit force code that starts every URN the force issues.
  force_code text CHECK (force_code ~ '^[0-9]{2}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'police_force') = (force_code IS NOT NULL)),
  UNIQUE (force_code)
)
--;
CREATE TABLE teams (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  name text NOT NULL,
  UNIQUE (organisation_id, name),
  UNIQUE (id, organisation_id)
)
--;
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  team_id uuid,
  username text NOT NULL UNIQUE CHECK (username = lower(username)),
  display_name text NOT NULL,
  email text NOT NULL,
  phone text NOT NULL,
  roles text[] NOT NULL CHECK (
    cardinality(roles) >= 1
    AND roles <@ ARRAY['investigator', 'police_supervisor', 'prosecutor', 'cps_manager', 'isva', 'analyst', 'administrator']
  ),
  password_hash text NOT NULL,
  failed_sign_ins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- A user's team must belong to the user's own organisation.
  FOREIGN KEY (team_id, organisation_id) REFERENCES teams (id, organisation_id)
)
--;
CREATE INDEX users_organisation ON users (organisation_id)
--;
-- The cookie carries a random token; only its SHA-256 is stored, so a database read cannot hijack a session.
CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL
)
--;
CREATE INDEX sessions_user ON sessions (user_id)
--;
CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id),
  token_hash text NOT NULL UNIQUE,
  label text NOT NULL,
  created_at timestamptz NOT NULL,
  revoked_at timestamptz
)
--;
CREATE TABLE cases (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  urn text NOT NULL UNIQUE,
  force_id uuid NOT NULL REFERENCES organisations (id),
  offence_code text NOT NULL,
  date_reported date NOT NULL,
  officer_in_charge_id uuid NOT NULL REFERENCES users (id),
  -- Set when the police refer the case to a CPS Area; CPS staff see only referred cases.
  cps_area_id uuid REFERENCES organisations (id),
  created_at timestamptz NOT NULL,
  created_by uuid NOT NULL REFERENCES users (id)
)
--;
CREATE INDEX cases_force ON cases (force_id, created_at DESC)
--;
CREATE INDEX cases_cps_area ON cases (cps_area_id, created_at DESC) WHERE cps_area_id IS NOT NULL
--;
-- The case timeline: every change to a case appends one typed event in the same transaction.
CREATE TABLE case_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases (id),
  type text NOT NULL,
  occurred_at timestamptz NOT NULL,
  actor_id uuid REFERENCES users (id),
  data jsonb NOT NULL DEFAULT '{}'
)
--;
CREATE INDEX case_events_case ON case_events (case_id, id)
--;
-- Data Protection Act 2018 s62 log. No foreign keys: the log must outlive what it describes.
CREATE TABLE audit_log (
  id bigint PRIMARY KEY,
  occurred_at timestamptz NOT NULL,
  actor_id uuid,
  action text NOT NULL,
  case_id uuid,
  subject text,
  justification text,
  details jsonb NOT NULL DEFAULT '{}',
  prev_hash text NOT NULL,
  hash text NOT NULL UNIQUE
)
--;
CREATE SEQUENCE audit_log_id_seq OWNED BY audit_log.id
--;
CREATE INDEX audit_log_case ON audit_log (case_id, id) WHERE case_id IS NOT NULL
--;
CREATE INDEX audit_log_actor ON audit_log (actor_id, id)
--;
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP;
END
$$
--;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
--;
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()

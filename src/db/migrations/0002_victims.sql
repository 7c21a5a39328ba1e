-- The victim of a case. One per case: Home Office counting rules record one crime per victim.
-- Enhanced rights and "intimidated" are not stored: every Casebridge case is a sexual offence,
-- so both always apply and are derived rather than kept as values someone could unset.
CREATE TABLE victims (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL UNIQUE REFERENCES cases (id),
  first_name text NOT NULL,
  last_name text NOT NULL,
  other_names text,
  date_of_birth date NOT NULL,
  phone text,
  email text,
  postal_address text,
  preferred_language text NOT NULL,
  interpreter_needed boolean NOT NULL,
  vulnerable boolean NOT NULL,
  vulnerable_reason text,
  needs text,
  created_at timestamptz NOT NULL,
  created_by uuid NOT NULL REFERENCES users (id),
  updated_at timestamptz NOT NULL,
  updated_by uuid NOT NULL REFERENCES users (id),
  -- Someone must be able to reach the victim safely by at least one route.
  CHECK (phone IS NOT NULL OR email IS NOT NULL OR postal_address IS NOT NULL),
  CHECK (vulnerable = (vulnerable_reason IS NOT NULL))
)
--;
-- Protected characteristics, one row per answered question. The questions and their values are
-- reference data in src/modules/victims/characteristics.ts, so the national data standard can
-- change its lists without a migration; a missing row means "not yet asked".
CREATE TABLE victim_characteristics (
  victim_id uuid NOT NULL REFERENCES victims (id),
  characteristic text NOT NULL,
  value text NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by uuid NOT NULL REFERENCES users (id),
  PRIMARY KEY (victim_id, characteristic)
)

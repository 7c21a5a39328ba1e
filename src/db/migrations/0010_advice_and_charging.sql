-- Early advice, the reason when it is not sought, charging referrals and CPS triage (issue 4).
-- Free text here is casework and may hold personal data: it stays in these tables, never in
-- timeline events or the audit log.
--
-- A request for early investigative advice (EA) from the CPS Area serving the force.
CREATE TABLE advice_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id),
  cps_area_id uuid NOT NULL REFERENCES organisations (id),
  factual_summary text NOT NULL,
  enquiries_done text NOT NULL,
  enquiries_ongoing text NOT NULL,
  enquiries_planned text NOT NULL,
  -- Issues in the case, including the suspect's account.
  issues text NOT NULL,
  questions text NOT NULL,
  state text NOT NULL DEFAULT 'awaiting_triage'
    CHECK (state IN ('awaiting_triage', 'accepted', 'rejected', 'answered', 'withdrawn')),
  requested_at timestamptz NOT NULL,
  requested_by uuid NOT NULL REFERENCES users (id),
  advice text,
  answered_at timestamptz,
  answered_by uuid REFERENCES users (id),
  CHECK ((state = 'answered') = (answered_at IS NOT NULL))
)
--;
CREATE INDEX advice_requests_case ON advice_requests (case_id, requested_at DESC)
--;
-- One request at a time is with the CPS for a case.
CREATE UNIQUE INDEX advice_requests_one_open ON advice_requests (case_id) WHERE state IN ('awaiting_triage', 'accepted')
--;
-- Early advice considered and not sought: coded reasons (several) and what the officer adds.
CREATE TABLE advice_not_sought (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id),
  reasons text[] NOT NULL CHECK (cardinality(reasons) > 0),
  details text NOT NULL,
  recorded_at timestamptz NOT NULL,
  recorded_by uuid NOT NULL REFERENCES users (id)
)
--;
CREATE INDEX advice_not_sought_case ON advice_not_sought (case_id, recorded_at DESC)
--;
-- A file submitted for a charging decision: the Full Code Test, or the Threshold Test with its
-- conditions recorded, and which MG forms came with it.
CREATE TABLE charging_referrals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id),
  cps_area_id uuid NOT NULL REFERENCES organisations (id),
  test text NOT NULL CHECK (test IN ('full_code', 'threshold')),
  -- Threshold Test conditions (Code for Crown Prosecutors, section 5; DG6): reasonable grounds to
  -- suspect; further evidence expected, and when; the seriousness or circumstances justifying an
  -- immediate charging decision; and why the suspect cannot be released on bail meanwhile.
  threshold_grounds text,
  threshold_further_evidence text,
  threshold_evidence_expected date,
  threshold_seriousness text,
  threshold_bail_reasons text,
  mg_forms text[] NOT NULL,
  state text NOT NULL DEFAULT 'awaiting_triage'
    CHECK (state IN ('awaiting_triage', 'accepted', 'rejected', 'action_plan', 'decided', 'withdrawn')),
  submitted_at timestamptz NOT NULL,
  submitted_by uuid NOT NULL REFERENCES users (id),
  decided_at timestamptz,
  CHECK (test = 'full_code' OR (threshold_grounds IS NOT NULL AND threshold_further_evidence IS NOT NULL
    AND threshold_evidence_expected IS NOT NULL AND threshold_seriousness IS NOT NULL
    AND threshold_bail_reasons IS NOT NULL))
)
--;
CREATE INDEX charging_referrals_case ON charging_referrals (case_id, submitted_at DESC)
--;
CREATE UNIQUE INDEX charging_referrals_one_open ON charging_referrals (case_id)
  WHERE state IN ('awaiting_triage', 'accepted', 'action_plan')
--;
-- CPS triage of a request for early advice or a charging referral: accepted and assigned to a
-- prosecutor in a unit, or rejected with structured reasons and a date the police respond by.
CREATE TABLE triage_decisions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id),
  advice_request_id uuid REFERENCES advice_requests (id),
  charging_referral_id uuid REFERENCES charging_referrals (id),
  decision text NOT NULL CHECK (decision IN ('accepted', 'rejected')),
  prosecutor_id uuid REFERENCES users (id),
  cps_unit_id uuid REFERENCES teams (id),
  -- [{ "code": "no_mg3", "detail": "..." }, ...] for a rejection.
  reasons jsonb NOT NULL DEFAULT '[]',
  respond_by date,
  decided_at timestamptz NOT NULL,
  decided_by uuid NOT NULL REFERENCES users (id),
  CHECK ((advice_request_id IS NULL) <> (charging_referral_id IS NULL)),
  CHECK (decision <> 'accepted' OR (prosecutor_id IS NOT NULL AND cps_unit_id IS NOT NULL)),
  CHECK (decision <> 'rejected' OR (respond_by IS NOT NULL AND jsonb_array_length(reasons) > 0))
)
--;
CREATE INDEX triage_decisions_case ON triage_decisions (case_id, decided_at DESC)

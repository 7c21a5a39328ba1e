-- Outcomes by the counting rules (issue 9). Every outcome says which side decided; a police
-- decision to take no further action records the supervisor who authorised it; a caution for an
-- indictable-only offence records the CPS's agreement.
ALTER TABLE case_outcomes
  ADD COLUMN authorised_by uuid REFERENCES users (id),
  ADD COLUMN authorised_at timestamptz,
  ADD COLUMN cps_agreed_by text,
  ADD COLUMN cps_agreed_on date,
  ADD CONSTRAINT case_outcomes_authorised_together CHECK ((authorised_by IS NULL) = (authorised_at IS NULL))
--;
-- Outcomes recorded before this rule carry their code's own decider; 15 kept whatever was recorded.
UPDATE case_outcomes SET decided_by = CASE WHEN code IN ('1', '1A', '9') THEN 'cps' ELSE 'police' END
 WHERE decided_by IS NULL
--;
-- A police no-further-action decision proposed by an officer, waiting for a supervisor. The
-- outcome comes into force only when authorised; a decline keeps the proposal as history.
CREATE TABLE outcome_proposals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id),
  code text NOT NULL,
  finalised_on date NOT NULL,
  rationale text,
  victim_told_on date,
  victim_told_how text,
  proposed_by uuid NOT NULL REFERENCES users (id),
  proposed_at timestamptz NOT NULL,
  decided_by uuid REFERENCES users (id),
  decided_at timestamptz,
  authorised boolean,
  declined_reason text,
  CHECK ((decided_at IS NULL) = (authorised IS NULL) AND (decided_at IS NULL) = (decided_by IS NULL)),
  CHECK ((authorised IS NOT FALSE) OR declined_reason IS NOT NULL)
)
--;
CREATE UNIQUE INDEX outcome_proposals_one_open ON outcome_proposals (case_id) WHERE decided_at IS NULL

-- Recommendation 3: when, at what stage and why a victim withdraws support, and re-engagement.
CREATE TABLE withdrawals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id),
  -- The stage of the case at the moment of withdrawal, copied so later changes cannot rewrite it.
  stage text NOT NULL,
  withdrawn_on date NOT NULL,
  reasons text[] NOT NULL CHECK (cardinality(reasons) >= 1),
  details text,
  retraction_statement_taken boolean NOT NULL,
  recorded_by uuid NOT NULL REFERENCES users (id),
  recorded_at timestamptz NOT NULL,
  reengaged_on date,
  reengagement_note text,
  reengagement_recorded_by uuid REFERENCES users (id),
  reengagement_recorded_at timestamptz,
  CHECK (reengaged_on IS NULL OR reengaged_on >= withdrawn_on)
)
--;
-- At most one withdrawal is open (not followed by re-engagement) at a time.
CREATE UNIQUE INDEX withdrawals_one_open ON withdrawals (case_id) WHERE reengaged_on IS NULL
--;
CREATE TABLE case_outcomes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id),
  code text NOT NULL,
  decided_by text CHECK (decided_by IN ('police', 'cps')),
  rationale text,
  victim_told_on date,
  victim_told_how text,
  finalised_on date NOT NULL,
  finalised_by uuid NOT NULL REFERENCES users (id),
  finalised_at timestamptz NOT NULL,
  reopened_at timestamptz,
  reopened_by uuid REFERENCES users (id),
  reopen_reason text,
  CHECK ((reopened_at IS NULL) = (reopen_reason IS NULL))
)
--;
-- A case has at most one outcome in force; a reopened case keeps its old outcomes as history.
CREATE UNIQUE INDEX case_outcomes_one_current ON case_outcomes (case_id) WHERE reopened_at IS NULL

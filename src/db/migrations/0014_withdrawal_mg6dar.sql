-- Inspection recommendation 3, issue 9 item 4: whether the victim ever supported an
-- investigation, the retraction statement as an MG6DAR holds it, and the evidence-led
-- prosecution consideration that follows a withdrawal.
--
-- Stored reason codes are left as they are: the old generic 'delay' stays a valid legacy code
-- (shown as "Delay (where it arose not recorded)") because nobody recorded where those delays
-- arose, and rewriting it to one of the new police/CPS/court codes would invent a fact. The
-- codes also sit in timeline events, which are never rewritten, so the two keep agreeing.
--
-- ever_supported: NULL only on withdrawals recorded before the question was asked.
ALTER TABLE withdrawals ADD COLUMN ever_supported boolean
--;
ALTER TABLE withdrawals ADD COLUMN retraction_taken_on date
--;
ALTER TABLE withdrawals ADD COLUMN retraction_taken_by text
--;
ALTER TABLE withdrawals ADD COLUMN maintains_account_true boolean
--;
ALTER TABLE withdrawals ADD COLUMN pressure_suspected text CHECK (pressure_suspected IN ('yes', 'no', 'unknown'))
--;
ALTER TABLE withdrawals ADD COLUMN pressure_details text
--;
ALTER TABLE withdrawals ADD COLUMN victims_own_words text
--;
-- The statement's details only exist when a statement was taken (older rows have none at all).
ALTER TABLE withdrawals ADD CONSTRAINT withdrawals_retraction_only_if_taken CHECK (
  retraction_statement_taken OR (
    retraction_taken_on IS NULL AND retraction_taken_by IS NULL AND maintains_account_true IS NULL
    AND pressure_suspected IS NULL AND pressure_details IS NULL AND victims_own_words IS NULL
  )
)
--;
ALTER TABLE withdrawals ADD CONSTRAINT withdrawals_pressure_details_only_if_suspected CHECK (
  pressure_details IS NULL OR pressure_suspected = 'yes'
)
--;
-- "Never supported from the outset" and "supported, then withdrew" cannot both be true.
ALTER TABLE withdrawals ADD CONSTRAINT withdrawals_never_supported_consistent CHECK (
  ever_supported IS NOT TRUE OR NOT ('never_supported' = ANY (reasons))
)
--;
-- One evidence-led prosecution consideration per withdrawal, each part with who and when:
-- the police view by the police, the CPS view and decision by the CPS, the result by either.
CREATE TABLE withdrawal_elp (
  withdrawal_id uuid PRIMARY KEY REFERENCES withdrawals (id),
  case_id uuid NOT NULL REFERENCES cases (id),
  police_view text,
  police_view_by uuid REFERENCES users (id),
  police_view_at timestamptz,
  cps_view text,
  cps_view_by uuid REFERENCES users (id),
  cps_view_at timestamptz,
  decision text CHECK (decision IN ('proceed', 'not_proceed')),
  decision_by uuid REFERENCES users (id),
  decision_at timestamptz,
  result text,
  result_by uuid REFERENCES users (id),
  result_at timestamptz,
  CHECK ((police_view IS NULL) = (police_view_at IS NULL)),
  CHECK ((cps_view IS NULL) = (cps_view_at IS NULL)),
  CHECK ((decision IS NULL) = (decision_at IS NULL)),
  CHECK ((result IS NULL) = (result_at IS NULL)),
  CHECK (result IS NULL OR decision = 'proceed')
)
--;
CREATE INDEX withdrawal_elp_case ON withdrawal_elp (case_id)

-- ISVA independence (issue 9). A referral names the ISVA who supports the victim, whose direct
-- phone and email police and CPS then see on the case.
ALTER TABLE support_referrals ADD COLUMN isva_id uuid REFERENCES users (id)
--;
-- The victim told their ISVA they wish to stop supporting the investigation, or to re-engage.
-- The ISVA passes it on; it is not a withdrawal record (ISVAs are never part of the evidence):
-- it is a task for the officer in charge, who acts on it and records what happened.
CREATE TABLE victim_wishes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id),
  wish text NOT NULL CHECK (wish IN ('stop', 'reengage')),
  -- What the victim asked the ISVA to pass on, in the ISVA's words.
  message text,
  passed_on_by uuid NOT NULL REFERENCES users (id),
  passed_on_at timestamptz NOT NULL,
  acknowledged_by uuid REFERENCES users (id),
  acknowledged_at timestamptz,
  CHECK ((acknowledged_by IS NULL) = (acknowledged_at IS NULL))
)
--;
CREATE INDEX victim_wishes_case ON victim_wishes (case_id, passed_on_at DESC)

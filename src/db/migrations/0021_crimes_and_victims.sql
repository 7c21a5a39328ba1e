-- The case file as police and CPS hold it (issue 9, docs/decisions/0007): a case (the URN) holds
-- one or more crimes, each with its own crime reference number, one victim, its offences, its
-- rape flag and its own Home Office outcome. A case may hold several victims.
CREATE TABLE crimes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id),
  -- Order on the case file: the first is the crime the case was opened for.
  position smallint NOT NULL,
  crime_reference text NOT NULL,
  -- False for a reference carried over from the old one-crime record (it was the URN), so the
  -- police are asked to correct it; true once a person has typed the real one.
  reference_confirmed boolean NOT NULL DEFAULT true,
  -- NULL only until the victim is recorded: every crime has exactly one victim.
  victim_id uuid REFERENCES victims (id),
  rape_flag boolean NOT NULL DEFAULT false,
  recorded_at timestamptz NOT NULL,
  recorded_by uuid REFERENCES users (id),
  UNIQUE (case_id, position),
  UNIQUE (case_id, crime_reference)
)
--;
CREATE INDEX crimes_victim ON crimes (victim_id)
--;
CREATE TABLE crime_offences (
  crime_id uuid NOT NULL REFERENCES crimes (id),
  offence_code text NOT NULL,
  -- Order of the reference list, so the first is the principal (most serious) offence.
  position smallint NOT NULL,
  PRIMARY KEY (crime_id, offence_code)
)
--;
-- Each case becomes a case with one crime. The URN was the only reference the old record held.
INSERT INTO crimes (case_id, position, crime_reference, reference_confirmed, victim_id, rape_flag, recorded_at, recorded_by)
SELECT c.id, 0, c.urn, false, (SELECT v.id FROM victims v WHERE v.case_id = c.id), c.rape_flag, c.created_at, c.created_by
  FROM cases c
--;
INSERT INTO crime_offences (crime_id, offence_code, position)
SELECT k.id, o.offence_code, o.position FROM case_offences o JOIN crimes k ON k.case_id = o.case_id
--;
DROP TABLE case_offences
--;
-- A crime's rape flag stays once set, like the case's; the case's flag is set when any crime's is.
CREATE TRIGGER crimes_rape_flag_stays BEFORE UPDATE OF rape_flag ON crimes
  FOR EACH ROW EXECUTE FUNCTION cases_rape_flag_stays()
--;
ALTER TABLE victims DROP CONSTRAINT victims_case_id_key
--;
CREATE INDEX victims_case ON victims (case_id)
--;
-- Victim-scoped records name their victim. NULL means "the case's victim, not yet recorded": the
-- first victim recorded on a case takes them over, so a NULL never remains beside a victim.
ALTER TABLE communication_plans ADD COLUMN victim_id uuid REFERENCES victims (id)
--;
ALTER TABLE communication_plans DROP CONSTRAINT communication_plans_case_id_key
--;
CREATE UNIQUE INDEX communication_plans_one_per_victim ON communication_plans (case_id, coalesce(victim_id, '00000000-0000-0000-0000-000000000000'))
--;
ALTER TABLE victim_contacts ADD COLUMN victim_id uuid REFERENCES victims (id)
--;
ALTER TABLE support_referrals ADD COLUMN victim_id uuid REFERENCES victims (id)
--;
DROP INDEX support_referrals_one_active
--;
CREATE UNIQUE INDEX support_referrals_one_active ON support_referrals (case_id, coalesce(victim_id, '00000000-0000-0000-0000-000000000000'), service_id) WHERE ended_at IS NULL
--;
ALTER TABLE support_offers ADD COLUMN victim_id uuid REFERENCES victims (id)
--;
ALTER TABLE withdrawals ADD COLUMN victim_id uuid REFERENCES victims (id)
--;
DROP INDEX withdrawals_one_open
--;
CREATE UNIQUE INDEX withdrawals_one_open ON withdrawals (case_id, coalesce(victim_id, '00000000-0000-0000-0000-000000000000')) WHERE reengaged_on IS NULL
--;
ALTER TABLE victim_wishes ADD COLUMN victim_id uuid REFERENCES victims (id)
--;
UPDATE communication_plans t SET victim_id = v.id FROM victims v WHERE v.case_id = t.case_id
--;
UPDATE victim_contacts t SET victim_id = v.id FROM victims v WHERE v.case_id = t.case_id
--;
UPDATE support_referrals t SET victim_id = v.id FROM victims v WHERE v.case_id = t.case_id
--;
UPDATE support_offers t SET victim_id = v.id FROM victims v WHERE v.case_id = t.case_id
--;
UPDATE withdrawals t SET victim_id = v.id FROM victims v WHERE v.case_id = t.case_id
--;
UPDATE victim_wishes t SET victim_id = v.id FROM victims v WHERE v.case_id = t.case_id
--;
-- Each crime has its own outcome, and its own police no-further-action proposal.
ALTER TABLE case_outcomes ADD COLUMN crime_id uuid REFERENCES crimes (id)
--;
UPDATE case_outcomes o SET crime_id = k.id FROM crimes k WHERE k.case_id = o.case_id
--;
ALTER TABLE case_outcomes ALTER COLUMN crime_id SET NOT NULL
--;
DROP INDEX case_outcomes_one_current
--;
CREATE UNIQUE INDEX case_outcomes_one_current ON case_outcomes (crime_id) WHERE reopened_at IS NULL
--;
ALTER TABLE outcome_proposals ADD COLUMN crime_id uuid REFERENCES crimes (id)
--;
UPDATE outcome_proposals o SET crime_id = k.id FROM crimes k WHERE k.case_id = o.case_id
--;
ALTER TABLE outcome_proposals ALTER COLUMN crime_id SET NOT NULL
--;
DROP INDEX outcome_proposals_one_open
--;
CREATE UNIQUE INDEX outcome_proposals_one_open ON outcome_proposals (crime_id) WHERE decided_at IS NULL

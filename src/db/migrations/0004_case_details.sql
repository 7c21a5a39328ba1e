-- The full case record (issue 3): several offences, the CPS rape flag, the offence date or
-- period, when the crime was recorded, team and supervisor, and the stage projection.
CREATE TABLE case_offences (
  case_id uuid NOT NULL REFERENCES cases (id),
  offence_code text NOT NULL,
  -- Order of the reference list, so the first is the principal (most serious) offence.
  position smallint NOT NULL,
  PRIMARY KEY (case_id, offence_code)
)
--;
INSERT INTO case_offences (case_id, offence_code, position) SELECT id, offence_code, 0 FROM cases
--;
ALTER TABLE cases DROP COLUMN offence_code
--;
ALTER TABLE cases
  ADD COLUMN rape_flag boolean NOT NULL DEFAULT false,
  ADD COLUMN offence_date_from date,
  ADD COLUMN offence_date_to date,
  ADD COLUMN date_recorded date,
  ADD COLUMN team_id uuid REFERENCES teams (id),
  ADD COLUMN supervisor_id uuid REFERENCES users (id),
  ADD COLUMN reviewing_prosecutor_id uuid REFERENCES users (id),
  ADD COLUMN cps_unit_id uuid REFERENCES teams (id),
  -- A projection of the timeline, kept by appendEvent in the same transaction; never typed in.
  ADD COLUMN stage text NOT NULL DEFAULT 'reported'
--;
UPDATE cases SET
  rape_flag = EXISTS (SELECT 1 FROM case_offences o WHERE o.case_id = cases.id AND o.offence_code LIKE '19%'),
  offence_date_from = date_reported,
  date_recorded = date_reported,
  stage = CASE WHEN cps_area_id IS NULL THEN 'reported' ELSE 'with_cps' END
--;
ALTER TABLE cases
  ALTER COLUMN offence_date_from SET NOT NULL,
  ALTER COLUMN date_recorded SET NOT NULL,
  ADD CONSTRAINT case_dates_in_order CHECK (
    offence_date_from <= coalesce(offence_date_to, offence_date_from)
    AND coalesce(offence_date_to, offence_date_from) <= date_reported
    AND date_reported <= date_recorded
  )
--;
CREATE INDEX cases_stage ON cases (force_id, stage)
--;
-- The CPS rape flag stays once set, even if the offence is later reclassified.
CREATE FUNCTION cases_rape_flag_stays() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.rape_flag AND NOT NEW.rape_flag THEN
    RAISE EXCEPTION 'the rape flag stays once set';
  END IF;
  RETURN NEW;
END
$$
--;
CREATE TRIGGER cases_rape_flag_stays BEFORE UPDATE OF rape_flag ON cases
  FOR EACH ROW EXECUTE FUNCTION cases_rape_flag_stays()

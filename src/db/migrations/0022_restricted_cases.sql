-- Restricted cases (issue 10 item 2): a police supervisor of the investigating force restricts a
-- case, for example when an officer or staff member is the victim or suspect, and names the only
-- people who may open it. A case has at most one restriction in force; a lifted one stays, with
-- who it named, as the record of who could open the case and when.
CREATE TABLE case_restrictions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id),
  restricted_by uuid NOT NULL REFERENCES users (id),
  restricted_at timestamptz NOT NULL,
  lifted_by uuid REFERENCES users (id),
  lifted_at timestamptz,
  CHECK ((lifted_by IS NULL) = (lifted_at IS NULL))
)
--;
CREATE UNIQUE INDEX case_restrictions_in_force ON case_restrictions (case_id) WHERE lifted_at IS NULL
--;
-- The people who may open the case while the restriction is in force.
CREATE TABLE case_restriction_people (
  restriction_id uuid NOT NULL REFERENCES case_restrictions (id),
  user_id uuid NOT NULL REFERENCES users (id),
  PRIMARY KEY (restriction_id, user_id)
)
--;
CREATE INDEX case_restriction_people_user ON case_restriction_people (user_id)
--;
-- Every restriction, change of the people named and lifting, with the supervisor's reason. The
-- reason is free text about why (it may say who is involved), so it lives here, never in the
-- timeline's data or the audit log's details.
CREATE TABLE case_restriction_changes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  restriction_id uuid NOT NULL REFERENCES case_restrictions (id),
  change text NOT NULL CHECK (change IN ('restricted', 'changed', 'lifted')),
  reason text NOT NULL CHECK (btrim(reason) <> ''),
  changed_by uuid NOT NULL REFERENCES users (id),
  changed_at timestamptz NOT NULL
)
--;
CREATE INDEX case_restriction_changes_restriction ON case_restriction_changes (restriction_id)

-- The deadline engine (issue 4): who each clock belongs to, its escalation ladder's times, the
-- outbox of notifications the sweeper writes, and the people escalations go to.
--
-- The CPS Area that serves a police force: early advice requests and charging referrals go there.
ALTER TABLE organisations ADD COLUMN cps_area_id uuid REFERENCES organisations (id)
--;
-- The person a team's escalations reach at the top of the ladder: a detective inspector for a
-- police team, the District Crown Prosecutor for a CPS unit.
ALTER TABLE teams ADD COLUMN lead_id uuid REFERENCES users (id)
--;
ALTER TABLE deadlines
  -- Who must act, and the team and organisation whose work queues show the clock.
  ADD COLUMN owner_id uuid REFERENCES users (id),
  ADD COLUMN team_id uuid REFERENCES teams (id),
  ADD COLUMN organisation_id uuid REFERENCES organisations (id),
  -- The ladder's times, fixed when the clock opens (from the working-day calendar): from
  -- remind_at it is "due soon", after due_at "overdue", from critical_at "critically overdue".
  ADD COLUMN remind_at timestamptz,
  ADD COLUMN critical_at timestamptz,
  -- When the sweeper next has something to do for this clock; NULL once the ladder is climbed
  -- or the clock is not running. The sweeper reads only rows with this set and due.
  ADD COLUMN next_step_at timestamptz,
  ADD COLUMN reminded_at timestamptz,
  -- A paused clock (the case was admin finalised) keeps its times; resuming shifts them on by
  -- the time it was paused.
  ADD COLUMN paused_at timestamptz
--;
UPDATE deadlines d
   SET owner_id = c.officer_in_charge_id,
       team_id = c.team_id,
       organisation_id = c.force_id,
       remind_at = d.due_at - interval '1 day',
       critical_at = d.due_at + interval '2 days',
       next_step_at = CASE WHEN d.state = 'open' THEN d.due_at - interval '1 day' END
  FROM cases c
 WHERE c.id = d.case_id
--;
ALTER TABLE deadlines
  ALTER COLUMN organisation_id SET NOT NULL,
  ALTER COLUMN remind_at SET NOT NULL,
  ALTER COLUMN critical_at SET NOT NULL,
  DROP CONSTRAINT deadlines_state_check,
  DROP CONSTRAINT deadlines_check,
  ADD CONSTRAINT deadlines_state_check CHECK (state IN ('open', 'paused', 'met', 'missed', 'cancelled')),
  ADD CONSTRAINT deadlines_closed_check CHECK ((state IN ('open', 'paused')) = (closed_at IS NULL)),
  ADD CONSTRAINT deadlines_paused_check CHECK ((state = 'paused') = (paused_at IS NOT NULL)),
  ADD CONSTRAINT deadlines_steps_check CHECK (state = 'open' OR next_step_at IS NULL),
  ADD CONSTRAINT deadlines_ladder_check CHECK (remind_at <= due_at AND due_at <= critical_at)
--;
DROP INDEX deadlines_one_open
--;
CREATE UNIQUE INDEX deadlines_one_running ON deadlines (kind, subject_id) WHERE state IN ('open', 'paused')
--;
DROP INDEX deadlines_open_due
--;
-- The sweeper's scan: only clocks with a step to take, so its cost follows the due rows.
CREATE INDEX deadlines_next_step ON deadlines (next_step_at) WHERE next_step_at IS NOT NULL
--;
-- Work queues: a person's, a team's and an organisation's open clocks by due time.
CREATE INDEX deadlines_owner_open ON deadlines (owner_id, due_at) WHERE state = 'open'
--;
CREATE INDEX deadlines_team_open ON deadlines (team_id, due_at) WHERE state = 'open'
--;
CREATE INDEX deadlines_organisation_open ON deadlines (organisation_id, due_at) WHERE state = 'open'
--;
-- The outbox. The sweeper writes a row per recipient per ladder step in the same transaction as
-- the step; delivery (local now, GOV.UK Notify later) reads it. The unique key makes a second
-- sweep of the same step impossible to deliver twice. Messages hold the URN and what is due,
-- never personal data.
-- No foreign keys to deadlines or cases: only the sweeper writes rows, from clocks it has just
-- locked, and clocks and cases are never deleted. Those key checks (each share-locking the clock
-- row the sweep had just updated) were nearly half the cost of a sweep (bench/README.md).
CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  deadline_id uuid NOT NULL,
  case_id uuid NOT NULL,
  recipient_id uuid NOT NULL REFERENCES users (id),
  step text NOT NULL CHECK (step IN ('reminder', 'escalation_1', 'escalation_2')),
  created_at timestamptz NOT NULL,
  delivered_at timestamptz,
  UNIQUE (deadline_id, step, recipient_id)
)
--;
CREATE INDEX notifications_recipient ON notifications (recipient_id, created_at DESC)
--;
CREATE INDEX notifications_undelivered ON notifications (created_at) WHERE delivered_at IS NULL

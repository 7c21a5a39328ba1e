-- Reviews of an action plan (issue 11 item 2): the reviewing prosecutor, or a District Crown
-- Prosecutor of the Area, records progress and what is still needed, then either sets the next
-- review date or closes the plan with a reason. The text is casework (it may name people), so it
-- stays here, never in timeline events or the audit log.
CREATE TABLE action_plan_reviews (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plan_id uuid NOT NULL REFERENCES action_plans (id),
  progress text NOT NULL CHECK (btrim(progress) <> ''),
  still_needed text NOT NULL CHECK (btrim(still_needed) <> ''),
  -- Exactly one of: the next review date (a working day), or the reason the plan was closed.
  next_review_date date,
  close_reason text,
  reviewed_at timestamptz NOT NULL,
  reviewed_by uuid NOT NULL REFERENCES users (id),
  CHECK ((next_review_date IS NULL) <> (close_reason IS NULL))
)
--;
CREATE INDEX action_plan_reviews_plan ON action_plan_reviews (plan_id, reviewed_at)
--;
-- A review may close a plan the police have not finished: closed is a fourth state, with when.
ALTER TABLE action_plans DROP CONSTRAINT action_plans_state_check
--;
ALTER TABLE action_plans
  ADD CONSTRAINT action_plans_state_check CHECK (state IN ('issued', 'responded', 'admin_finalised', 'closed'))
--;
ALTER TABLE action_plans ADD COLUMN closed_at timestamptz
--;
ALTER TABLE action_plans ADD CONSTRAINT action_plans_closed_when CHECK ((state = 'closed') = (closed_at IS NOT NULL))

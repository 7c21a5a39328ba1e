-- Action plans, District Crown Prosecutor approval of a further plan, police responses per
-- action, requests for more time and admin finalisation (issue 4). Free text here (what an
-- action asks, what was found, why it cannot be done, the DCP's reason) is casework and may
-- hold personal data: it stays in these tables, never in timeline events or the audit log.
--
-- A DCP's approval of a second or later plan after a Full Code Test submission: a reason and a
-- theme from a reference list (the quarterly assurance return counts the themes). A plan uses
-- (consumes) it when issued.
CREATE TABLE action_plan_approvals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id),
  theme text NOT NULL,
  reason text NOT NULL,
  approved_at timestamptz NOT NULL,
  approved_by uuid NOT NULL REFERENCES users (id),
  -- The plan that used it; NULL while it waits for the prosecutor.
  plan_id uuid
)
--;
-- One approval waits at a time for a case.
CREATE UNIQUE INDEX action_plan_approvals_one_unused ON action_plan_approvals (case_id) WHERE plan_id IS NULL
--;
CREATE INDEX action_plan_approvals_case ON action_plan_approvals (case_id, approved_at)
--;
CREATE TABLE action_plans (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id),
  -- 1, 2, 3... per case, in the order issued.
  number integer NOT NULL CHECK (number > 0),
  -- The charging referral the plan answers, when there is one.
  charging_referral_id uuid REFERENCES charging_referrals (id),
  review_date date NOT NULL,
  -- issued: waiting for police responses; responded: every action answered; admin_finalised:
  -- closed administratively after the wait (reopens when the police respond).
  state text NOT NULL DEFAULT 'issued' CHECK (state IN ('issued', 'responded', 'admin_finalised')),
  issued_at timestamptz NOT NULL,
  issued_by uuid NOT NULL REFERENCES users (id),
  responded_at timestamptz,
  admin_finalised_at timestamptz,
  admin_finalised_by uuid REFERENCES users (id),
  reopened_at timestamptz,
  UNIQUE (case_id, number),
  CHECK ((state = 'responded') = (responded_at IS NOT NULL)),
  CHECK (state <> 'admin_finalised' OR admin_finalised_at IS NOT NULL)
)
--;
-- One plan at a time is with the police (or admin finalised, waiting for them).
CREATE UNIQUE INDEX action_plans_one_open ON action_plans (case_id) WHERE state IN ('issued', 'admin_finalised')
--;
-- The quarterly assurance return reads plans by the time they were issued.
CREATE INDEX action_plans_issued ON action_plans (issued_at, number)
--;
ALTER TABLE action_plan_approvals ADD CONSTRAINT action_plan_approvals_plan FOREIGN KEY (plan_id) REFERENCES action_plans (id)
--;
CREATE UNIQUE INDEX action_plan_approvals_plan_once ON action_plan_approvals (plan_id) WHERE plan_id IS NOT NULL
--;
CREATE TABLE action_plan_actions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plan_id uuid NOT NULL REFERENCES action_plans (id),
  number integer NOT NULL CHECK (number > 0),
  description text NOT NULL,
  -- A police officer of the investigating force.
  owner_id uuid NOT NULL REFERENCES users (id),
  -- The target in force (it moves when the prosecutor agrees more time) and the one first set.
  target_date date NOT NULL,
  original_target_date date NOT NULL,
  state text NOT NULL DEFAULT 'outstanding' CHECK (state IN ('outstanding', 'done', 'cannot_be_done')),
  -- What was found (done) or why it cannot be done.
  response text,
  responded_at timestamptz,
  responded_by uuid REFERENCES users (id),
  UNIQUE (plan_id, number),
  CHECK ((state = 'outstanding') = (responded_at IS NULL)),
  CHECK ((state = 'outstanding') = (response IS NULL))
)
--;
-- A police request for more time on an action, and the prosecutor's decision.
CREATE TABLE action_more_time_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  action_id uuid NOT NULL REFERENCES action_plan_actions (id),
  proposed_date date NOT NULL,
  reason text NOT NULL,
  requested_at timestamptz NOT NULL,
  requested_by uuid NOT NULL REFERENCES users (id),
  -- withdrawn: the action was answered before the prosecutor decided.
  decision text CHECK (decision IN ('agreed', 'refused', 'withdrawn')),
  decision_note text,
  decided_at timestamptz,
  decided_by uuid REFERENCES users (id),
  CHECK ((decision IS NULL) = (decided_at IS NULL))
)
--;
CREATE UNIQUE INDEX action_more_time_one_pending ON action_more_time_requests (action_id) WHERE decision IS NULL
--;
CREATE INDEX action_more_time_action ON action_more_time_requests (action_id, requested_at)

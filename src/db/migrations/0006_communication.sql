-- The deadline engine's first slice (ARCHITECTURE.md, "Deadlines"): every clock in the domain is
-- one row here. A row is opened with its due time and closed exactly once as met, missed or
-- cancelled; closed rows are kept as history. No foreign key to the subject: subjects live in
-- many modules' tables. The sweeper and escalation ladders come later (issue 4).
CREATE TABLE deadlines (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL,
  case_id uuid NOT NULL REFERENCES cases (id),
  subject_id uuid,
  due_at timestamptz NOT NULL,
  state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'met', 'missed', 'cancelled')),
  escalation_level int NOT NULL DEFAULT 0 CHECK (escalation_level >= 0),
  created_at timestamptz NOT NULL,
  closed_at timestamptz,
  -- Why it closed. For a missed victim update this is the reason given, which may hold personal
  -- data: it stays here, never in the timeline or the audit log.
  closed_reason text,
  CHECK ((state = 'open') = (closed_at IS NULL))
)
--;
-- One clock of a kind runs for a subject at a time.
CREATE UNIQUE INDEX deadlines_one_open ON deadlines (kind, subject_id) WHERE state = 'open'
--;
-- What the sweeper (issue 4) and work queues will scan: open clocks by due time.
CREATE INDEX deadlines_open_due ON deadlines (due_at) WHERE state = 'open'
--;
CREATE INDEX deadlines_case ON deadlines (case_id)
--;
-- The communication plan agreed with the victim: one per case, changed in place; each change is
-- a timeline event naming the fields that changed. Language and interpreter live on the victim.
CREATE TABLE communication_plans (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL UNIQUE REFERENCES cases (id),
  preferred_channel text NOT NULL,
  -- NULL: updates only at key decisions, so no update clock runs.
  update_every_days int CHECK (update_every_days BETWEEN 1 AND 365),
  safe_times text NOT NULL,
  messages_may_be_left boolean NOT NULL,
  through_isva boolean NOT NULL,
  nfa_preference text NOT NULL,
  nfa_details text,
  agreed_at timestamptz NOT NULL,
  agreed_by uuid NOT NULL REFERENCES users (id),
  updated_at timestamptz NOT NULL,
  updated_by uuid NOT NULL REFERENCES users (id),
  CHECK (preferred_channel <> 'via_isva' OR through_isva)
)
--;
-- Every contact with the victim. The summary is personal data and stays in this table.
CREATE TABLE victim_contacts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id),
  contacted_at timestamptz NOT NULL,
  channel text NOT NULL,
  made_by text NOT NULL,
  planned_update boolean NOT NULL,
  summary text NOT NULL,
  -- The update clock this contact answered, if it was a planned update while one ran.
  deadline_id uuid REFERENCES deadlines (id),
  -- For a late update: the victim was told why the agreed update was missed.
  victim_told_why boolean NOT NULL DEFAULT false,
  recorded_at timestamptz NOT NULL,
  recorded_by uuid NOT NULL REFERENCES users (id)
)
--;
CREATE INDEX victim_contacts_case ON victim_contacts (case_id, contacted_at DESC)

-- A legitimate relationship for every look at a victim (issue 10 item 2): a user with access to a
-- case but no direct part in it states why on their first look at its victims in a session. The
-- reason is kept per user, case and session (a web session, or an API token), and is the DPA 2018
-- s62 justification of those looks. The free text for "other" stays here, never in the audit log.
CREATE TABLE access_reasons (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases (id),
  user_id uuid NOT NULL REFERENCES users (id),
  -- A one-way hash of the session's (or token's) own hash: it ties the reason to that session
  -- without holding anything that could open it.
  session_key text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('web', 'api')),
  reason text NOT NULL CHECK (reason IN ('covering', 'duty', 'review', 'linked', 'other')),
  detail text CHECK (detail IS NULL OR length(detail) <= 500),
  stated_at timestamptz NOT NULL,
  CHECK (reason <> 'other' OR detail IS NOT NULL)
)
--;
CREATE INDEX access_reasons_session ON access_reasons (case_id, user_id, session_key)
--;
CREATE INDEX access_reasons_stated ON access_reasons (stated_at)

-- System clients (issue 10 item 6; docs/decisions/0011): another organisation's computer system,
-- such as a force's records management system, calling the API under its own name rather than
-- with a person's token. It is a users row marked as such, so every reference to users (the audit
-- log's actor, created_by, recorded_by...) works for it unchanged. It has no password, so it can
-- never sign in to the pages; it acts only through its own API tokens.
ALTER TABLE users ADD COLUMN system_client boolean NOT NULL DEFAULT false
--;
ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL
--;
-- A person always has a password hash and a system client never has one; a system client is in no team.
ALTER TABLE users ADD CONSTRAINT users_system_client_shape CHECK (
  (system_client AND password_hash IS NULL AND team_id IS NULL)
  OR (NOT system_client AND password_hash IS NOT NULL)
)
--;
-- `token create --system NAME` finds one by its name, so names are unique across organisations.
CREATE UNIQUE INDEX users_system_client_name ON users (lower(display_name)) WHERE system_client

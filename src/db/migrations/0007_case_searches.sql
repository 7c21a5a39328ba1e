-- Finding cases (issue 3). Search terms name people, so they never go in a URL: the page posts
-- them, they are kept here against a random id for their owner only, and the list's address
-- carries the id. Rows older than a day are deleted when the next search is saved.
CREATE TABLE case_searches (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id),
  terms jsonb NOT NULL,
  created_at timestamptz NOT NULL
)
--;
CREATE INDEX case_searches_created ON case_searches (created_at)
--;
-- Prefix search on URNs and on names, ignoring case. text_pattern_ops lets LIKE 'abc%' use the
-- index under any collation. Substring or fuzzy search would need pg_trgm, which PGlite only has
-- when the extension is loaded when the database is opened (src/db/client.ts does not today).
CREATE INDEX cases_urn_prefix ON cases (urn text_pattern_ops)
--;
CREATE INDEX victims_first_name_prefix ON victims (lower(first_name) text_pattern_ops)
--;
CREATE INDEX victims_last_name_prefix ON victims (lower(last_name) text_pattern_ops)
--;
CREATE INDEX suspects_first_name_prefix ON suspects (lower(first_name) text_pattern_ops)
--;
CREATE INDEX suspects_last_name_prefix ON suspects (lower(last_name) text_pattern_ops)

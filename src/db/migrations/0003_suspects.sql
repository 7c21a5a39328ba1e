-- Suspects of a case. Names stay empty while a suspect is not identified; they are set once, when
-- the suspect is identified. Statements are separated by lines holding only "--;".
CREATE TABLE suspects (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Insertion order: suspects added in the same instant still get stable numbers ("Suspect 2").
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  case_id uuid NOT NULL REFERENCES cases (id),
  first_name text,
  last_name text,
  date_of_birth date,
  created_at timestamptz NOT NULL,
  created_by uuid NOT NULL REFERENCES users (id),
  CHECK ((first_name IS NULL) = (last_name IS NULL))
)
--;
CREATE INDEX suspects_case ON suspects (case_id, seq)
--;
-- Append-only: a suspect's current status is its latest row. For "released under investigation"
-- the effective date is the date released, so it has no column of its own to disagree with.
CREATE TABLE suspect_statuses (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  suspect_id uuid NOT NULL REFERENCES suspects (id),
  status text NOT NULL CHECK (status IN (
    'not_identified', 'identified', 'arrested', 'interviewed_under_caution', 'on_bail', 'released_under_investigation', 'charged'
  )),
  effective_date date NOT NULL,
  bail_return_date date,
  bail_conditions text,
  recorded_at timestamptz NOT NULL,
  recorded_by uuid NOT NULL REFERENCES users (id),
  CHECK ((status = 'on_bail') = (bail_return_date IS NOT NULL)),
  CHECK (status = 'on_bail' OR bail_conditions IS NULL),
  CHECK (bail_return_date > effective_date)
)
--;
CREATE INDEX suspect_statuses_suspect ON suspect_statuses (suspect_id, id)
--;
CREATE FUNCTION suspect_statuses_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'suspect_statuses is append-only: % is not allowed', TG_OP;
END
$$
--;
CREATE TRIGGER suspect_statuses_no_change BEFORE UPDATE OR DELETE ON suspect_statuses
  FOR EACH ROW EXECUTE FUNCTION suspect_statuses_append_only()

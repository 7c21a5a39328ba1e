-- Protected characteristics to the national standard (issue 9, item 5). Every statement here can
-- run again on migrated data and change nothing, so a test can run them on rows in the old shape.
--
-- A victim's date of birth may be unknown. Their age is then an age band, recorded as the answer
-- to the age question in victim_characteristics (the bands are reference data in
-- src/modules/victims/characteristics.ts).
ALTER TABLE victims ALTER COLUMN date_of_birth DROP NOT NULL
--;
-- Age was answered "confirmed": the victim had confirmed their date of birth for monitoring. Age
-- now comes from the date of birth itself whenever one is recorded, and every victim recorded so
-- far has one (the column was NOT NULL), so the answer adds nothing. Left in place it would be a
-- value the age question no longer has, and would read as an answer if the date were removed.
DELETE FROM victim_characteristics WHERE characteristic = 'age' AND value = 'confirmed'
--;
-- Ethnic group was asked at the five broad groups only; it is now asked at the 19 detailed 2021
-- Census categories. A broad answer is kept as "<group> (detailed category not recorded)", not
-- turned into the group's "any other … background": that would state a self-definition the
-- victim never gave (most people answering "White" are "English, Welsh, Scottish, Northern Irish
-- or British", not "any other White background"), and would make the detailed figures wrong
-- without anyone being able to tell. Kept this way the broad figures stay right, the detailed
-- figures count it as not recorded, and the question shows as one to ask the victim again.
-- When and by whom the broad answer was given (updated_at, updated_by) is unchanged: it is still
-- that answer.
UPDATE victim_characteristics SET value = value || '_detail_not_recorded'
 WHERE characteristic = 'ethnicity' AND value IN ('asian', 'black', 'mixed', 'white', 'other')
--;
-- The completeness report counts the victims of cases recorded in a quarter, by force or CPS Area.
CREATE INDEX IF NOT EXISTS cases_force_recorded ON cases (force_id, date_recorded)
--;
CREATE INDEX IF NOT EXISTS cases_cps_area_recorded ON cases (cps_area_id, date_recorded) WHERE cps_area_id IS NOT NULL

import type { Db } from '../src/db/client.ts'

/**
 * Synthetic national data for the deadline benchmarks: extra police forces with one RASSO team
 * each, `cases` cases spread over them, and open clocks spread over a year of due times, in the
 * state the sweeper would have left them in had it kept up until just before `now`. The demo's
 * Northvale RASSO team (`northTeam`) owns exactly `teamItems` of the clocks on its own 1% of cases;
 * exactly `armed` clocks (not Northvale's) are due a ladder step at `now`.
 */

export interface Shape {
  now: Date
  northForce: string
  northTeam: string
  northOfficer: string
  northSupervisor: string
  cases: number
  teamItems: number
  armed: number
  forces: number
}

export async function makeForcesAndCases(db: Db, s: Shape): Promise<void> {
  await db.query(
    `CREATE TABLE bench_cases (ix int PRIMARY KEY, id uuid NOT NULL, team_id uuid, force_id uuid NOT NULL, oic uuid NOT NULL)`,
  )
  await db.query('CREATE TABLE bench_armed (id uuid PRIMARY KEY)')
  // Forces 10.., each with one team, an officer and a supervisor (their password is the demo's).
  await db.query(
    `WITH f AS (
       INSERT INTO organisations (kind, name, force_code)
       SELECT 'police_force', 'Bench force ' || n, lpad((n + 9)::text, 2, '0') FROM generate_series(1, $1) n RETURNING id, force_code
     ), t AS (
       INSERT INTO teams (organisation_id, name) SELECT id, 'RASSO team ' || force_code FROM f RETURNING id, organisation_id
     )
     INSERT INTO users (organisation_id, team_id, username, display_name, email, phone, roles, password_hash)
     SELECT t.organisation_id, t.id, 'bench.' || r.role || '.' || f.force_code, 'Bench ' || r.role || ' ' || f.force_code,
            'bench@example.invalid', '01632 960000', ARRAY[r.role], (SELECT password_hash FROM users WHERE id = $2)
       FROM t JOIN f ON f.id = t.organisation_id
      CROSS JOIN (VALUES ('investigator'), ('police_supervisor')) AS r(role)`,
    [s.forces, s.northOfficer],
  )
  const northCases = Math.round(s.cases / 100)
  // Northvale's share of cases first (ix 0..northCases-1), then the rest round the bench forces.
  await db.query(
    `INSERT INTO cases (urn, force_id, date_reported, officer_in_charge_id, created_at, created_by, offence_date_from, date_recorded, team_id, supervisor_id, rape_flag)
     SELECT '91BN' || lpad(n::text, 7, '0'), $1, '2026-01-05', $3, $5, $3, '2026-01-01', '2026-01-05', $2, $4, true
       FROM generate_series(0, $6 - 1) n`,
    [s.northForce, s.northTeam, s.northOfficer, s.northSupervisor, s.now, northCases],
  )
  await db.query(
    `WITH staff AS (
       SELECT u.organisation_id AS force_id, u.team_id, o.force_code,
              max(u.id::text) FILTER (WHERE 'investigator' = ANY(u.roles))::uuid AS oic,
              max(u.id::text) FILTER (WHERE 'police_supervisor' = ANY(u.roles))::uuid AS supervisor,
              row_number() OVER (ORDER BY o.force_code) - 1 AS k
         FROM users u JOIN organisations o ON o.id = u.organisation_id
        WHERE u.username LIKE 'bench.%' GROUP BY 1, 2, 3
     )
     INSERT INTO cases (urn, force_id, date_reported, officer_in_charge_id, created_at, created_by, offence_date_from, date_recorded, team_id, supervisor_id, rape_flag)
     SELECT s.force_code || 'BN' || lpad(n::text, 7, '0'), s.force_id, '2026-01-05', s.oic, $1, s.oic, '2026-01-01', '2026-01-05', s.team_id, s.supervisor, true
       FROM generate_series($2, $3 - 1) n JOIN staff s ON s.k = n % $4`,
    [s.now, northCases, s.cases, s.forces],
  )
  await db.query(
    `INSERT INTO bench_cases (ix, id, team_id, force_id, oic)
     SELECT (row_number() OVER (ORDER BY urn LIKE '91%' DESC, urn)) - 1, id, team_id, force_id, officer_in_charge_id FROM cases WHERE urn LIKE '__BN%'`,
  )
}

/**
 * Open clocks numbered `from`..`to` (inclusive). Clock g is on Northvale's cases while
 * g <= teamItems, and due a step now (armed) for the next `armed` clocks; every other clock's
 * due time is spread over a year (60 days back to 305 ahead) on the bench forces' cases.
 */
export async function addClocks(db: Db, s: Shape, from: number, to: number): Promise<void> {
  const northCases = Math.round(s.cases / 100)
  await db.query(
    `WITH g AS (
       SELECT g,
              CASE WHEN g <= $3 THEN (g - 1) % $5 ELSE $5 + (g * 7919) % ($6 - $5) END AS ix,
              CASE WHEN g > $3 AND g <= $3 + $4 THEN $1::timestamptz - (g - $3) * interval '1 second'
                   ELSE $1::timestamptz - interval '60 days' + ((g * 104729) % 525600) * interval '1 minute' END AS due_at,
              g > $3 AND g <= $3 + $4 AS armed
         FROM generate_series($7::bigint, $8::bigint) g
     ), t AS (
       SELECT g.*, due_at - interval '3 days' AS remind_at, due_at + interval '7 days' AS critical_at FROM g
     ), ins AS (
       INSERT INTO deadlines (kind, case_id, subject_id, due_at, created_at, owner_id, team_id, organisation_id, remind_at, critical_at,
                              escalation_level, reminded_at, next_step_at)
       SELECT (ARRAY['action_target', 'victim_update', 'action_plan_review', 'charging_decision'])[1 + t.g % 4], c.id, gen_random_uuid(),
              t.due_at, $2, c.oic, c.team_id, c.force_id, t.remind_at, t.critical_at,
              CASE WHEN t.armed OR t.due_at >= $1 THEN 0 WHEN t.critical_at <= $1 THEN 2 ELSE 1 END,
              CASE WHEN t.remind_at <= $1 THEN t.remind_at END,
              CASE WHEN t.armed THEN t.due_at + interval '1 millisecond'
                   WHEN t.due_at < $1 THEN (CASE WHEN t.critical_at <= $1 THEN NULL ELSE t.critical_at END)
                   WHEN t.remind_at <= $1 THEN t.due_at + interval '1 millisecond'
                   ELSE t.remind_at END
         FROM t JOIN bench_cases c ON c.ix = t.ix
       RETURNING id, next_step_at
     )
     INSERT INTO bench_armed (id) SELECT id FROM ins WHERE next_step_at <= $1`,
    [s.now, new Date(s.now.getTime() - 400 * 86_400_000), s.teamItems, s.armed, northCases, s.cases, from, to],
  )
  await db.query('ANALYZE deadlines')
  await db.query('ANALYZE cases')
}

/**
 * Puts the armed clocks back one step before escalation and forgets their notifications, then
 * vacuums as autovacuum would between sweeps, so dead index entries from earlier runs do not pile up.
 */
export async function rearm(db: Db): Promise<void> {
  await db.query('DELETE FROM notifications WHERE deadline_id IN (SELECT id FROM bench_armed)')
  await db.query(
    `UPDATE deadlines SET escalation_level = 0, next_step_at = due_at + interval '1 millisecond'
      WHERE id IN (SELECT id FROM bench_armed)`,
  )
  await db.query('VACUUM ANALYZE deadlines')
  await db.query('VACUUM ANALYZE notifications')
}

import { expect, test } from 'vitest'
import { migrate } from '../../db/migrate.ts'
import { createTestDatabase } from '../../db/test-database.ts'

/**
 * Migration 0021 on data in the shape before it: each case becomes a case with one crime, whose
 * reference is the URN (marked to confirm), with the case's offences, rape flag and outcome; every
 * victim-scoped record names the case's one victim; a case with no victim yet keeps its records
 * for the victim to come.
 */
test('migration 0021 turns each one-victim case into a case file with one crime, and every record names its victim', async () => {
  const db = await createTestDatabase({ migrated: false })
  try {
    await migrate(db, { before: '0021' })
    const one = async <T>(sql: string, params: unknown[] = []) => (await db.query<T & object>(sql, params))[0]
    const { force } = await one<{ force: string }>(
      "INSERT INTO organisations (kind, name, force_code) VALUES ('police_force', 'Old Force', '91') RETURNING id AS force",
    )
    const { service } = await one<{ service: string }>(
      "INSERT INTO organisations (kind, name) VALUES ('support_service', 'Old ISVA Service') RETURNING id AS service",
    )
    const { officer } = await one<{ officer: string }>(
      `INSERT INTO users (organisation_id, username, display_name, email, phone, roles, password_hash)
       VALUES ($1, 'old.officer', 'Old Officer', 'o@example.test', '0', ARRAY['investigator'], 'x') RETURNING id AS officer`,
      [force],
    )
    const newCase = async (urn: string, rape: boolean) =>
      (
        await one<{ id: string }>(
          `INSERT INTO cases (urn, force_id, date_reported, officer_in_charge_id, created_at, created_by, rape_flag,
                              offence_date_from, date_recorded, stage)
           VALUES ($1, $2, '2026-01-05', $3, '2026-01-05T10:00:00Z', $3, $4, '2026-01-01', '2026-01-05', 'investigation') RETURNING id`,
          [urn, force, officer, rape],
        )
      ).id
    const withVictim = await newCase('91AB0000126', true)
    const noVictim = await newCase('91AB0000226', false)
    for (const [caseId, code, position] of [
      [withVictim, '19C', 0],
      [withVictim, '20A', 1],
      [noVictim, '20A', 0],
    ]) {
      await db.query('INSERT INTO case_offences (case_id, offence_code, position) VALUES ($1, $2, $3)', [caseId, code, position])
    }
    const { victim } = await one<{ victim: string }>(
      `INSERT INTO victims (case_id, first_name, last_name, phone, preferred_language, interpreter_needed, vulnerable,
                            created_at, created_by, updated_at, updated_by)
       VALUES ($1, 'Old', 'Victim', '07700 900000', 'English', false, false, now(), $2, now(), $2) RETURNING id AS victim`,
      [withVictim, officer],
    )
    const plan = (caseId: string) =>
      db.query(
        `INSERT INTO communication_plans (case_id, preferred_channel, safe_times, messages_may_be_left, through_isva,
                                          nfa_preference, agreed_at, agreed_by, updated_at, updated_by)
         VALUES ($1, 'phone', 'Evenings', false, false, 'in_person', now(), $2, now(), $2)`,
        [caseId, officer],
      )
    await plan(withVictim)
    await plan(noVictim)
    await db.query(
      `INSERT INTO victim_contacts (case_id, contacted_at, channel, made_by, planned_update, summary, recorded_at, recorded_by)
       VALUES ($1, now(), 'phone', 'police', false, 'Spoke', now(), $2)`,
      [withVictim, officer],
    )
    await db.query(
      `INSERT INTO support_referrals (case_id, service_id, kind, consent_recorded_on, shared, referred_by, referred_at)
       VALUES ($1, $2, 'isva', '2026-01-06', ARRAY['case_summary'], $3, now())`,
      [withVictim, service, officer],
    )
    await db.query(
      `INSERT INTO support_offers (case_id, stage, offered_on, support, accepted, recorded_by, recorded_at)
       VALUES ($1, 'investigation', '2026-01-06', 'isva', true, $2, now())`,
      [withVictim, officer],
    )
    await db.query(
      `INSERT INTO withdrawals (case_id, stage, withdrawn_on, reasons, retraction_statement_taken, recorded_by, recorded_at)
       VALUES ($1, 'investigation', '2026-01-10', ARRAY['fear_of_court'], false, $2, now())`,
      [withVictim, officer],
    )
    await db.query(`INSERT INTO victim_wishes (case_id, wish, passed_on_by, passed_on_at) VALUES ($1, 'stop', $2, now())`, [
      withVictim,
      officer,
    ])
    await db.query(
      `INSERT INTO case_outcomes (case_id, code, decided_by, rationale, finalised_on, finalised_by, finalised_at)
       VALUES ($1, '16', 'police', 'Reasons', '2026-01-12', $2, now())`,
      [withVictim, officer],
    )
    await db.query(
      `INSERT INTO outcome_proposals (case_id, code, finalised_on, rationale, proposed_by, proposed_at)
       VALUES ($1, '18', '2026-01-12', 'Reasons', $2, now())`,
      [noVictim, officer],
    )

    expect(await migrate(db)).toContain('0021_crimes_and_victims.sql')

    const crimes = await db.query<{
      case_id: string
      crime_reference: string
      reference_confirmed: boolean
      victim_id: string | null
      rape_flag: boolean
      offences: string[]
    }>(
      `SELECT k.case_id, k.crime_reference, k.reference_confirmed, k.victim_id, k.rape_flag,
              (SELECT array_agg(o.offence_code ORDER BY o.position) FROM crime_offences o WHERE o.crime_id = k.id) AS offences
         FROM crimes k ORDER BY k.crime_reference`,
    )
    expect(crimes).toEqual([
      {
        case_id: withVictim,
        crime_reference: '91AB0000126',
        reference_confirmed: false,
        victim_id: victim,
        rape_flag: true,
        offences: ['19C', '20A'],
      },
      {
        case_id: noVictim,
        crime_reference: '91AB0000226',
        reference_confirmed: false,
        victim_id: null,
        rape_flag: false,
        offences: ['20A'],
      },
    ])
    for (const table of [
      'communication_plans',
      'victim_contacts',
      'support_referrals',
      'support_offers',
      'withdrawals',
      'victim_wishes',
    ]) {
      const rows = await db.query<{ victim_id: string | null }>(`SELECT victim_id FROM ${table} WHERE case_id = $1`, [withVictim])
      expect(
        rows.map((r) => r.victim_id),
        table,
      ).toEqual([victim])
    }
    // The case with no victim yet keeps its plan for the victim to come.
    const held = await db.query<{ victim_id: string | null }>('SELECT victim_id FROM communication_plans WHERE case_id = $1', [
      noVictim,
    ])
    expect(held).toEqual([{ victim_id: null }])
    const [outcome] = await db.query<{ crime: string }>(
      'SELECT k.crime_reference AS crime FROM case_outcomes o JOIN crimes k ON k.id = o.crime_id',
    )
    expect(outcome.crime).toBe('91AB0000126')
    const [proposal] = await db.query<{ crime: string }>(
      'SELECT k.crime_reference AS crime FROM outcome_proposals p JOIN crimes k ON k.id = p.crime_id',
    )
    expect(proposal.crime).toBe('91AB0000226')
    // A second victim of the same case can now be recorded; the crime's rape flag stays once set.
    await db.query(
      `INSERT INTO victims (case_id, first_name, last_name, phone, preferred_language, interpreter_needed, vulnerable,
                            created_at, created_by, updated_at, updated_by)
       VALUES ($1, 'Second', 'Victim', '07700 900001', 'English', false, false, now(), $2, now(), $2)`,
      [withVictim, officer],
    )
    await expect(db.query('UPDATE crimes SET rape_flag = false WHERE case_id = $1', [withVictim])).rejects.toThrow(
      /rape flag stays/,
    )
  } finally {
    await db.close()
  }
})

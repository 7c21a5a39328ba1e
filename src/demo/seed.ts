import type { Db } from '../db/client.ts'
import { insertOrganisation, insertTeam, insertUser } from '../modules/admin/queries.ts'
import { giveAdvice, requestAdvice } from '../modules/advice/service.ts'
import { createCase } from '../modules/cases/service.ts'
import { refer as referForCharge } from '../modules/charging/service.ts'
import { offerSupport, refer } from '../modules/support/service.ts'
import { addSuspect } from '../modules/suspects/service.ts'
import { triage } from '../modules/triage/service.ts'
import { saveVictimDetails } from '../modules/victims/service.ts'
import { recordElp, recordWithdrawal } from '../modules/withdrawal/service.ts'
import type { Role } from '../platform/access/actor.ts'
import { loadActor } from '../platform/auth/actors.ts'
import type { Services } from '../platform/context.ts'

/**
 * Synthetic demo data: invented forces, people and cases. Phone numbers are from Ofcom's
 * range for drama (01632 960xxx) and email addresses use the reserved .example domain.
 */

export async function isEmpty(db: Db): Promise<boolean> {
  const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM organisations')
  return n === 0
}

type DemoUser = { username: string; name: string; org: 'north' | 'south' | 'cps' | 'isva'; team?: string; roles: Role[] }

export const DEMO_USERS: DemoUser[] = [
  { username: 'oic.north', name: 'DC Sam Okafor', org: 'north', team: 'north-rasso', roles: ['investigator'] },
  { username: 'supervisor.north', name: 'DS Priya Lang', org: 'north', team: 'north-rasso', roles: ['police_supervisor'] },
  { username: 'inspector.north', name: 'DI Amara Kent', org: 'north', team: 'north-rasso', roles: ['police_supervisor'] },
  { username: 'oic.south', name: 'DC Jo Whitfield', org: 'south', team: 'south-rasso', roles: ['investigator'] },
  { username: 'supervisor.south', name: 'DS Ellis Marsh', org: 'south', team: 'south-rasso', roles: ['police_supervisor'] },
  { username: 'prosecutor', name: 'Alex Moreno', org: 'cps', team: 'cps-rasso', roles: ['prosecutor'] },
  { username: 'dcp', name: 'Morgan Hale', org: 'cps', team: 'cps-rasso', roles: ['cps_manager'] },
  { username: 'isva', name: 'Robin Ashby', org: 'isva', roles: ['isva'] },
  { username: 'analyst', name: 'Casey Dunmore', org: 'north', roles: ['analyst'] },
  { username: 'admin.north', name: 'Jordan Reeve', org: 'north', roles: ['administrator'] },
]

export async function seedDemo(services: Services, opts: { password: string }) {
  const { db, clock } = services
  const ids = await db.transaction(async (tx) => {
    const orgs = {
      north: await insertOrganisation(tx, { kind: 'police_force', name: 'Northvale Police', forceCode: '91' }),
      south: await insertOrganisation(tx, { kind: 'police_force', name: 'Southmere Constabulary', forceCode: '92' }),
      cps: await insertOrganisation(tx, { kind: 'cps_area', name: 'CPS Vale and Mere' }),
      isva: await insertOrganisation(tx, { kind: 'support_service', name: 'Vale Sexual Violence Support' }),
    }
    const teams: Record<string, string> = {
      'north-rasso': await insertTeam(tx, orgs.north, 'RASSO investigation team'),
      'south-rasso': await insertTeam(tx, orgs.south, 'RASSO investigation team'),
      'cps-rasso': await insertTeam(tx, orgs.cps, 'RASSO unit'),
    }
    const users: Record<string, string> = {}
    let n = 1
    for (const u of DEMO_USERS) {
      users[u.username] = await insertUser(tx, orgs[u.org], {
        username: u.username,
        displayName: u.name,
        email: `${u.username}@casebridge-demo.example`,
        phone: `01632 960${String(n++).padStart(3, '0')}`,
        roles: u.roles,
        teamId: u.team ? teams[u.team] : null,
        password: opts.password,
      })
    }
    // Escalations reach the team's lead at the top of the ladder; both forces are served by the one Area.
    await tx.query('UPDATE teams SET lead_id = $2 WHERE id = $1', [teams['north-rasso'], users['inspector.north']])
    await tx.query('UPDATE teams SET lead_id = $2 WHERE id = $1', [teams['cps-rasso'], users.dcp])
    await tx.query('UPDATE organisations SET cps_area_id = $1 WHERE id = ANY($2::uuid[])', [orgs.cps, [orgs.north, orgs.south]])
    return { orgs, users, teams }
  })

  // Cases go through the real service, so they carry their timeline and audit trail.
  const as = async (username: string) => {
    const actor = await loadActor(db, ids.users[username])
    if (!actor) throw new Error(`demo user ${username} missing`)
    return { ...services, actor, channel: 'web' as const }
  }
  const north = await as('oic.north')
  const south = await as('oic.south')
  const daysAgo = (days: number) => new Date(clock.now().getTime() - days * 86_400_000).toISOString().slice(0, 10)
  const year = String(clock.now().getUTCFullYear()).slice(2)
  const user = (username: string) => ids.users[username]
  const dates = (reportedDaysAgo: number, offenceDaysBefore: number) => ({
    offenceDateFrom: daysAgo(reportedDaysAgo + offenceDaysBefore),
    dateReported: daysAgo(reportedDaysAgo),
    dateRecorded: daysAgo(reportedDaysAgo),
  })
  const referred = await createCase(north, {
    urn: `91NV10001${year}`,
    crimeReference: `NV/10001/${year}`,
    offences: ['19C', '20A'],
    ...dates(200, 3),
    officerInChargeId: user('oic.north'),
    supervisorId: user('supervisor.north'),
  })
  const awaitingAdvice = await createCase(north, {
    urn: `91NV10002${year}`,
    crimeReference: `NV/10002/${year}`,
    offences: ['19F'],
    ...dates(60, 400),
    offenceDateTo: daysAgo(100),
    officerInChargeId: user('oic.north'),
    supervisorId: user('supervisor.north'),
  })
  const southmere = await createCase(south, {
    urn: `92SM20001${year}`,
    crimeReference: `SM/20001/${year}`,
    offences: ['19D'],
    ...dates(90, 1),
    officerInChargeId: user('oic.south'),
    supervisorId: user('supervisor.south'),
  })
  // The first case carries a whole story: victim, suspect, support with limited consent, referral to the CPS.
  await saveVictimDetails(north, referred.id, {
    firstName: 'Alex',
    lastName: 'Demo',
    dateOfBirth: '1994-03-27',
    phone: '07700 900001',
    preferredLanguage: 'English',
    interpreterNeeded: false,
    vulnerable: false,
  })
  await addSuspect(north, referred.id, {
    status: 'identified',
    firstName: 'Jordan',
    lastName: 'Example',
    effectiveDate: daysAgo(195),
  })
  await refer(north, referred.id, {
    serviceId: ids.orgs.isva,
    kind: 'isva',
    consentGiven: true,
    consentRecordedOn: daysAgo(198),
    shared: ['victim_details'],
  })
  await offerSupport(north, referred.id, { offeredOn: daysAgo(199), support: 'isva', accepted: true })
  // Early advice asked for, accepted and given; then the file referred under the Full Code Test
  // and accepted by the District Crown Prosecutor, so the prosecutor may issue an action plan.
  const dcp = await as('dcp')
  const prosecutor = await as('prosecutor')
  const unit = ids.teams['cps-rasso']
  const advice = await requestAdvice(north, referred.id, ADVICE_REQUEST)
  await triage(dcp, 'advice', referred.id, advice.id, { decision: 'accept', unitId: unit, prosecutorId: user('prosecutor') })
  await giveAdvice(prosecutor, referred.id, advice.id, {
    advice: 'Obtain the first-account witness statement and the phone download before the suspect is interviewed.',
  })
  const referral = await referForCharge(north, referred.id, { test: 'full_code', mgForms: ['MG3', 'MG5', 'MG6', 'MG11'] })
  await triage(dcp, 'charging', referred.id, referral.id, { decision: 'accept', unitId: unit, prosecutorId: user('prosecutor') })
  // The second waits for the CPS to triage its request for early advice.
  await requestAdvice(north, awaitingAdvice.id, ADVICE_REQUEST)
  // The third: the victim supported the investigation, then withdrew after months with no news; a
  // retraction statement was taken (MG6DAR) and the police have given their view on going on without her.
  const withdrawal = await recordWithdrawal(south, southmere.id, {
    withdrawnOn: daysAgo(20),
    everSupported: true,
    reasons: ['delay_police', 'not_kept_informed'],
    details: 'Synthetic demo details: no update for ten weeks before she called.',
    retractionStatementTaken: true,
    retractionTakenOn: daysAgo(18),
    retractionTakenBy: 'DC Demo Officer 4321',
    maintainsAccountTrue: true,
    pressureSuspected: 'unknown',
    victimsOwnWords: 'Synthetic demo words: I told the truth but I cannot keep waiting.',
  })
  await recordElp(south, southmere.id, withdrawal.id, {
    policeView: 'Synthetic demo view: the first account to a friend and the 999 call may support a case without her.',
  })

  return { ...ids, usernames: DEMO_USERS.map((u) => u.username) }
}

/** Synthetic words for the demo's requests for early advice: no real case is described. */
const ADVICE_REQUEST = {
  factualSummary: 'Synthetic demo case: reported the morning after; first account given to a friend.',
  enquiriesDone: 'Achieving Best Evidence interview; first-account statement.',
  enquiriesOngoing: 'Download of the victim’s phone.',
  enquiriesPlanned: 'Interview of the suspect under caution.',
  issues: 'Consent is expected to be the issue; the suspect has not yet given an account.',
  questions: 'What further evidence is needed on consent before interview?',
}

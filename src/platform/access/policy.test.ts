import { describe, expect, test } from 'vitest'
import { Forbidden, NotFound } from '../errors.ts'
import type { Actor } from './actor.ts'
import { allows, canCreateCase, caseScope, directPart, oversightOfCase, relationToCase, requireCase } from './policy.ts'

const actor = (over: Partial<Actor>): Actor => ({
  id: 'u1',
  username: 'u',
  displayName: 'U',
  organisationId: 'force-a',
  organisationKind: 'police_force',
  organisationName: 'Force A',
  roles: ['investigator'],
  teamId: null,
  systemClient: false,
  ...over,
})
const inForceA = { forceId: 'force-a', cpsAreaId: null }
const referredToArea1 = { forceId: 'force-a', cpsAreaId: 'area-1' }

describe('the access policy', () => {
  test('police caseworkers see their own force’s cases and give that as the justification', () => {
    expect(relationToCase(actor({}), inForceA)).toBe('case of own force')
    expect(relationToCase(actor({ roles: ['police_supervisor'] }), inForceA)).toBe('case of own force')
    expect(relationToCase(actor({ organisationId: 'force-b' }), inForceA)).toBeNull()
  })

  test('CPS caseworkers see only cases referred to their own Area', () => {
    const cps = actor({ organisationId: 'area-1', organisationKind: 'cps_area', roles: ['prosecutor'] })
    expect(relationToCase(cps, inForceA)).toBeNull()
    expect(relationToCase(cps, referredToArea1)).toBe('case referred to own CPS Area')
    expect(relationToCase({ ...cps, organisationId: 'area-2' }, referredToArea1)).toBeNull()
  })

  test('analysts, administrators and ISVAs see no case yet', () => {
    for (const roles of [['analyst'], ['administrator'], ['isva']] as const) {
      expect(relationToCase(actor({ roles: [...roles] }), inForceA)).toBeNull()
    }
  })

  test('no relation, or no case, is NotFound', () => {
    expect(() => requireCase(actor({ organisationId: 'force-b' }), 'view', inForceA)).toThrow(NotFound)
    expect(() => requireCase(actor({}), 'view', undefined)).toThrow(NotFound)
  })

  test('the SQL scope says the same as the policy', () => {
    const params: unknown[] = ['already there']
    // Each scope also leaves out restricted cases the user is not named on (tested below).
    expect(caseScope(actor({}), params)).toMatch(/^\(c\.force_id = \$2 AND NOT EXISTS/)
    expect(params).toEqual(['already there', 'force-a', 'u1'])
    const cps = actor({ organisationId: 'area-1', organisationKind: 'cps_area', roles: ['cps_manager'] })
    expect(caseScope(cps, [], 'x')).toMatch(/^\(x\.cps_area_id = \$1 AND/)
    expect(caseScope(actor({ roles: ['analyst'] }), [])).toBe('false')
  })

  test('police ask for advice, refer and answer plans; the CPS triages, advises, plans and admin finalises; only a DCP approves a further plan', () => {
    const police = actor({})
    const prosecutor = actor({ organisationId: 'area-1', organisationKind: 'cps_area', roles: ['prosecutor'] })
    const dcp = { ...prosecutor, roles: ['cps_manager' as const] }
    for (const action of ['request_advice', 'refer_for_charge', 'respond_to_plan'] as const) {
      expect(requireCase(police, action, referredToArea1)).toBe('case of own force')
      expect(() => requireCase(prosecutor, action, referredToArea1)).toThrow(Forbidden)
    }
    for (const action of ['triage', 'give_advice', 'issue_action_plan', 'admin_finalise'] as const) {
      expect(requireCase(prosecutor, action, referredToArea1)).toBe('case referred to own CPS Area')
      expect(requireCase(dcp, action, referredToArea1)).toBe('case referred to own CPS Area')
      expect(() => requireCase(police, action, referredToArea1)).toThrow(Forbidden)
    }
    expect(requireCase(dcp, 'approve_action_plan', referredToArea1)).toBe('case referred to own CPS Area')
    expect(() => requireCase(prosecutor, 'approve_action_plan', referredToArea1)).toThrow(Forbidden)
    expect(() => requireCase(police, 'approve_action_plan', referredToArea1)).toThrow(Forbidden)
    // Another Area does not learn the case exists.
    expect(() => requireCase({ ...dcp, organisationId: 'area-2' }, 'approve_action_plan', referredToArea1)).toThrow(NotFound)
  })

  test('only police caseworkers record cases', () => {
    expect(canCreateCase(actor({}))).toBe(true)
    expect(canCreateCase(actor({ roles: ['administrator'] }))).toBe(false)
    expect(canCreateCase(actor({ organisationKind: 'cps_area', roles: ['prosecutor'] }))).toBe(false)
  })
})

describe('support services', () => {
  const isva = actor({ organisationId: 'service-1', organisationKind: 'support_service', roles: ['isva'] })
  const referred = {
    ...inForceA,
    support: [{ serviceId: 'service-1', shared: ['case_summary', 'victim_details'], kind: 'isva' as const }],
  }

  test('an ISVA sees only cases their own service is engaged on', () => {
    expect(relationToCase(isva, inForceA)).toBeNull()
    expect(relationToCase({ ...isva, organisationId: 'service-2' }, referred)).toBeNull()
    expect(requireCase(isva, 'view', referred)).toBe('support service engaged with the victim’s consent')
  })

  test('and only what the victim agreed to share, naming what was not', () => {
    expect(requireCase(isva, 'view_victim', referred)).toBeTruthy()
    expect(() => requireCase(isva, 'view_outcome', referred)).toThrow(
      'The victim has not agreed to share decisions and the outcome of the case with their support service',
    )
  })

  test('and never does casework, whatever is shared', () => {
    for (const action of [
      'edit_details',
      'edit_victim',
      'finalise',
      'manage_support',
      'record_withdrawal',
      'agree_plan',
    ] as const) {
      expect(() => requireCase(isva, action, referred), action).toThrow(Forbidden)
    }
    expect(() => requireCase(isva, 'record_withdrawal', referred)).toThrow(/never record a withdrawal: pass on the victim’s wish/)
  })

  test('but records their own work with the victim, and alone passes on the victim’s wishes', () => {
    for (const action of ['record_contact', 'record_support', 'pass_on_wish'] as const) {
      expect(requireCase(isva, action, referred), action).toBeTruthy()
    }
    expect(() => requireCase(actor({}), 'pass_on_wish', inForceA)).toThrow(Forbidden)
  })

  test('never sees withdrawal records or who authorised a decision, whatever is shared', () => {
    const everything = {
      ...inForceA,
      support: [{ ...referred.support[0], shared: ['case_summary', 'victim_details', 'communication_plan', 'outcome'] }],
    }
    for (const action of ['view_withdrawal', 'authorise_outcome'] as const) {
      expect(() => requireCase(isva, action, everything), action).toThrow(NotFound)
    }
  })

  test('a SARC referral is a referral for the victim’s care, not access to the case', () => {
    const sarc = { ...inForceA, support: [{ ...referred.support[0], kind: 'sarc' as const }] }
    expect(relationToCase(isva, sarc)).toBeNull()
    expect(() => requireCase(isva, 'view', sarc)).toThrow(NotFound)
    const params: unknown[] = []
    expect(caseScope(isva, params)).toContain("r.kind = 'isva'")
  })

  test('and is not told the investigation’s casework sections exist (advice, charging, action plans)', () => {
    for (const action of ['view_casework', 'request_advice', 'triage', 'issue_action_plan', 'approve_action_plan'] as const) {
      expect(() => requireCase(isva, action, referred), action).toThrow(NotFound)
    }
    expect(requireCase(actor({}), 'view_casework', referred)).toBe('case of own force')
  })

  test('the list scope for an ISVA is its service’s active referrals', () => {
    const params: unknown[] = []
    expect(caseScope(isva, params)).toContain('support_referrals')
    expect(params).toEqual(['service-1', 'u1'])
  })
})

describe('restricted cases', () => {
  const supervisor = actor({ id: 'sup', roles: ['police_supervisor'] })
  const oic = actor({ id: 'oic' })
  const admin = actor({ id: 'adm', roles: ['administrator'] })
  const cps = actor({ id: 'pro', organisationId: 'area-1', organisationKind: 'cps_area', roles: ['prosecutor'] })
  const isva = actor({ id: 'isv', organisationId: 'service-1', organisationKind: 'support_service', roles: ['isva'] })
  const open = {
    id: 'case-1',
    ...referredToArea1,
    support: [{ serviceId: 'service-1', shared: ['case_summary'], kind: 'isva' as const }],
  }
  const restricted = (...named: string[]) => ({ ...open, restriction: { named } })

  test('only a police supervisor of the investigating force restricts; others who see the case are told the rule', () => {
    expect(requireCase(supervisor, 'restrict', open)).toBe('case of own force')
    for (const who of [oic, cps]) {
      const err = (() => {
        try {
          requireCase(who, 'restrict', open)
        } catch (e) {
          return e
        }
      })()
      expect(err).toBeInstanceOf(Forbidden)
      expect((err as Forbidden).code).toBe('supervisor_restriction_only')
    }
    expect(() => requireCase(isva, 'restrict', open)).toThrow(Forbidden)
    expect(() => requireCase(actor({ organisationId: 'force-b', roles: ['police_supervisor'] }), 'restrict', open)).toThrow(
      NotFound,
    )
  })

  test('no one who is not named has any relation or oversight: every action is NotFound, as for another force', () => {
    const c = restricted('oic')
    for (const who of [supervisor, admin, cps, isva]) {
      expect(relationToCase(who, c)).toBeNull()
      expect(oversightOfCase(who, c)).toBeNull()
      for (const action of ['view', 'view_victim', 'view_access_log', 'restrict'] as const) {
        expect(() => requireCase(who, action, c), `${who.id} ${action}`).toThrow(NotFound)
        expect(allows(who, action, c)).toBe(false)
      }
    }
  })

  test('the people named keep exactly what their organisation and role give them', () => {
    const c = restricted('oic', 'sup', 'adm', 'pro', 'isv')
    expect(requireCase(oic, 'view', c)).toBe('case of own force')
    expect(() => requireCase(oic, 'restrict', c)).toThrow(Forbidden)
    expect(requireCase(supervisor, 'restrict', c)).toBe('case of own force')
    expect(requireCase(supervisor, 'view_access_log', c)).toBe('supervisor in the investigating force')
    expect(() => requireCase(admin, 'view', c)).toThrow(NotFound)
    expect(requireCase(admin, 'view_access_log', c)).toBe('administrator of own organisation')
    expect(requireCase(cps, 'view', c)).toBe('case referred to own CPS Area')
    expect(requireCase(isva, 'view', c)).toBe('support service engaged with the victim’s consent')
    // Being named gives no relation the organisations' rules do not: another force's user stays out.
    const outsider = actor({ id: 'out', organisationId: 'force-b' })
    expect(() => requireCase(outsider, 'view', restricted('out'))).toThrow(NotFound)
  })

  test('a refusal on a restricted case is still marked for the log, as without relation', () => {
    try {
      requireCase(supervisor, 'view', restricted('oic'))
    } catch (e) {
      expect((e as NotFound).refusal).toEqual({ caseId: 'case-1', attempted: 'view', related: false })
    }
    expect.assertions(1)
  })

  test('the SQL scope leaves out restricted cases the user is not named on', () => {
    const params: unknown[] = []
    const sql = caseScope(oic, params)
    expect(sql).toContain('case_restrictions x WHERE x.case_id = c.id AND x.lifted_at IS NULL')
    expect(sql).toContain('n.user_id = $2')
    expect(params).toEqual(['force-a', 'oic'])
    expect(caseScope(actor({ roles: ['analyst'] }), [])).toBe('false')
  })
})

describe('a direct part in a case (who sees its victims without stating why)', () => {
  const parts = { officerInChargeId: 'oic', supervisorId: 'sup', teamId: 'team-1', prosecutorId: 'pro', cpsUnitId: 'unit-1' }
  const c = { forceId: 'force-a', cpsAreaId: 'area-1', parts }
  const cps = (over: Partial<Actor>) =>
    actor({ organisationId: 'area-1', organisationKind: 'cps_area', roles: ['prosecutor'], ...over })
  test('police: the officer in charge, the case’s supervisor and its team', () => {
    expect(directPart(actor({ id: 'oic' }), c)).toBe(true)
    expect(directPart(actor({ id: 'sup', roles: ['police_supervisor'] }), c)).toBe(true)
    expect(directPart(actor({ teamId: 'team-1' }), c)).toBe(true)
  })
  test('police of another team, or a manager not on the case, have access but no direct part', () => {
    expect(directPart(actor({ teamId: 'team-2' }), c)).toBe(false)
    expect(directPart(actor({ roles: ['police_supervisor'] }), c)).toBe(false)
    expect(relationToCase(actor({ teamId: 'team-2' }), c)).not.toBeNull()
  })
  test('CPS: the reviewing prosecutor and the case’s CPS unit; not a lawyer of the Area not allocated', () => {
    expect(directPart(cps({ id: 'pro' }), c)).toBe(true)
    expect(directPart(cps({ teamId: 'unit-1', roles: ['cps_manager'] }), c)).toBe(true)
    expect(directPart(cps({ teamId: 'unit-2' }), c)).toBe(false)
    expect(directPart(cps({ teamId: 'team-1' }), { ...c, parts: { ...parts, cpsUnitId: null } })).toBe(false)
  })
  test('no relation is no direct part, whatever the ids say', () => {
    expect(directPart(actor({ id: 'oic', organisationId: 'force-b' }), c)).toBe(false)
  })
})

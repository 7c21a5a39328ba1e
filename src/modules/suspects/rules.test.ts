import { describe, expect, test } from 'vitest'
import type { Actor } from '../../platform/access/actor.ts'
import { canSeeSuspects } from '../../platform/access/policy.ts'
import { checkDateOfBirth, checkTransition, nextStatuses, type StatusFact } from './rules.ts'
import type { SuspectStatus } from './schema.ts'

const TODAY = '2026-11-02'

/** A history from statuses, one day apart from 1 October 2026. */
const history = (...statuses: SuspectStatus[]): StatusFact[] =>
  statuses.map((status, i) => ({ status, effectiveDate: `2026-10-${String(i + 1).padStart(2, '0')}` }))

const rulesBroken = (h: StatusFact[], status: SuspectStatus, effectiveDate = '2026-10-20', bailReturnDate?: string) =>
  checkTransition(h, { status, effectiveDate, bailReturnDate }, TODAY, 'cps_decision').map((r) => r.rule)

describe('which status may follow which', () => {
  test.each<[SuspectStatus[], SuspectStatus[]]>([
    [[], ['not_identified', 'identified']],
    [['not_identified'], ['identified']],
    [['identified'], ['arrested', 'interviewed_under_caution', 'charged']],
    [
      ['identified', 'arrested'],
      ['interviewed_under_caution', 'on_bail', 'released_under_investigation', 'charged'],
    ],
    [
      ['identified', 'arrested', 'on_bail'],
      ['arrested', 'interviewed_under_caution', 'on_bail', 'released_under_investigation', 'charged'],
    ],
    [
      ['identified', 'arrested', 'released_under_investigation'],
      ['arrested', 'interviewed_under_caution', 'on_bail', 'charged'],
    ],
    [
      ['identified', 'interviewed_under_caution'],
      ['arrested', 'charged'],
    ],
    [['identified', 'charged'], []],
  ])('after %j the next may be %j', (h, expected) => {
    expect(nextStatuses(history(...h), 'cps_decision')).toEqual(expected)
    // By hand the police never record a charge: for rape the CPS decides.
    expect(nextStatuses(history(...h))).toEqual(expected.filter((s) => s !== 'charged'))
  })

  test('a suspect is charged only by a CPS charging decision', () => {
    const arrested = history('identified', 'arrested')
    const [refusal] = checkTransition(arrested, { status: 'charged', effectiveDate: '2026-10-20' }, TODAY)
    expect(refusal).toEqual({
      rule: 'charged-by-cps',
      field: 'status',
      message: 'For rape the CPS decides whether to charge: a suspect is recorded as charged only by a CPS charging decision',
    })
    expect(checkTransition(arrested, { status: 'charged', effectiveDate: '2026-10-20' }, TODAY, 'cps_decision')).toEqual([])
  })

  test.each<[SuspectStatus[], SuspectStatus, string]>([
    [[], 'arrested', 'start-status'],
    [['not_identified'], 'interviewed_under_caution', 'identify-first'],
    [['not_identified'], 'charged', 'identify-first'],
    [['not_identified'], 'arrested', 'identify-first'],
    [['not_identified'], 'not_identified', 'no-repeat'],
    [['identified', 'arrested'], 'not_identified', 'stays-identified'],
    [['identified', 'arrested'], 'identified', 'identified-once'],
    [['identified', 'arrested'], 'arrested', 'no-repeat'],
    [['identified'], 'on_bail', 'arrest-before-release'],
    [['identified', 'interviewed_under_caution'], 'released_under_investigation', 'arrest-before-release'],
    [['identified', 'arrested', 'charged'], 'on_bail', 'charged-is-final'],
  ])('after %j, %s breaks %s', (h, next, rule) => {
    expect(rulesBroken(history(...h), next, '2026-10-20', '2026-12-01')).toEqual([rule])
  })

  test('refusals name the status in words, for the error summary', () => {
    const [refusal] = checkTransition(
      history('not_identified'),
      { status: 'charged', effectiveDate: TODAY },
      TODAY,
      'cps_decision',
    )
    expect(refusal).toEqual({
      rule: 'identify-first',
      field: 'status',
      message: 'A suspect who is not identified cannot be charged: record them as identified first',
    })
  })

  test('bail may be extended: on bail can follow on bail with a new return date', () => {
    expect(rulesBroken(history('identified', 'arrested', 'on_bail'), 'on_bail', '2026-10-20', '2026-12-20')).toEqual([])
  })
})

describe('dates', () => {
  const arrested = history('identified', 'arrested') // arrested on 2 October

  test('a date on or after the previous status and not after today is accepted', () => {
    expect(rulesBroken(arrested, 'interviewed_under_caution', '2026-10-02')).toEqual([])
    expect(rulesBroken(arrested, 'interviewed_under_caution', TODAY)).toEqual([])
  })

  test('a date before the previous status is refused, naming that status and its date', () => {
    const [refusal] = checkTransition(arrested, { status: 'interviewed_under_caution', effectiveDate: '2026-10-01' }, TODAY)
    expect(refusal).toMatchObject({ rule: 'date-not-before-previous', field: 'effectiveDate' })
    expect(refusal.message).toBe(
      'The date it happened cannot be before 2 October 2026, when the suspect was recorded as arrested',
    )
  })

  test('a date in the future is refused', () => {
    expect(rulesBroken(arrested, 'charged', '2026-11-03')).toEqual(['date-not-future'])
  })

  test('bail needs a return date after the date bailed', () => {
    expect(rulesBroken(arrested, 'on_bail', '2026-10-20', '2026-10-20')).toEqual(['bail-return-after-bail'])
    expect(rulesBroken(arrested, 'on_bail', '2026-10-20', '2026-10-19')).toEqual(['bail-return-after-bail'])
    // The return date may already have passed when bail is recorded late.
    expect(rulesBroken(arrested, 'on_bail', '2026-10-20', '2026-10-21')).toEqual([])
  })

  test('every broken rule is reported at once', () => {
    expect(rulesBroken(history('not_identified'), 'on_bail', '2027-01-01', '2026-12-01')).toEqual([
      'identify-first',
      'date-not-future',
      'bail-return-after-bail',
    ])
  })

  test('a date of birth must be in the past, and may be unknown', () => {
    expect(checkDateOfBirth(undefined, TODAY)).toEqual([])
    expect(checkDateOfBirth('1990-03-27', TODAY)).toEqual([])
    expect(checkDateOfBirth(TODAY, TODAY).map((r) => r.rule)).toEqual(['birth-date-past'])
  })
})

describe('who may see suspects', () => {
  const actor = (organisationKind: Actor['organisationKind'], ...roles: Actor['roles']): Actor => ({
    id: 'a',
    username: 'u',
    displayName: 'U',
    organisationId: 'o',
    organisationName: 'O',
    organisationKind,
    roles,
    teamId: null,
    systemClient: false,
  })

  test.each<[string, Actor, boolean]>([
    ['a police investigator', actor('police_force', 'investigator'), true],
    ['a police supervisor', actor('police_force', 'police_supervisor'), true],
    ['a prosecutor', actor('cps_area', 'prosecutor'), true],
    ['a CPS manager', actor('cps_area', 'cps_manager'), true],
    ['an ISVA', actor('support_service', 'isva'), false],
    ['a police analyst', actor('police_force', 'analyst'), false],
    ['a CPS administrator', actor('cps_area', 'administrator'), false],
  ])('%s → %s', (_who, a, expected) => {
    expect(canSeeSuspects(a)).toBe(expected)
  })
})

import { expect, test } from 'vitest'
import { labelOf } from '../../platform/codes.ts'
import { ALL_WITHDRAWAL_REASONS, WITHDRAWAL_REASON_CODES } from './reasons.ts'
import {
  ELP_CPS_ONLY,
  ELP_POLICE_ONLY,
  elpChanges,
  elpForbidden,
  elpRuleErrors,
  LEGACY_DELAY,
  NEVER_SUPPORTED_BUT_WITHDREW_LATER,
  stageAtWithdrawal,
  withdrawalRuleErrors,
} from './rules.ts'
import { RecordWithdrawal } from './schema.ts'

const today = '2026-11-02'
const w = (over: Record<string, unknown> = {}) =>
  RecordWithdrawal.parse({
    withdrawnOn: '2026-10-20',
    everSupported: true,
    reasons: ['delay_cps'],
    retractionStatementTaken: false,
    ...over,
  })
const statement = {
  retractionStatementTaken: true,
  retractionTakenOn: '2026-10-21',
  retractionTakenBy: 'DC Invented 1234',
  maintainsAccountTrue: true,
  pressureSuspected: 'no',
  victimsOwnWords: 'I cannot face it now',
}
const fields = (errors: { field: string }[]) => errors.map((e) => e.field)

test('the inspection’s drivers each have a reason; the old generic delay is only for showing old withdrawals', () => {
  for (const code of ['delay_police', 'delay_cps', 'delay_court', 'not_kept_informed', 'fear_not_believed']) {
    expect(WITHDRAWAL_REASON_CODES).toContain(code)
  }
  expect(WITHDRAWAL_REASON_CODES).toContain('recorded_not_prosecuted')
  expect(WITHDRAWAL_REASON_CODES).toContain('never_supported')
  expect(WITHDRAWAL_REASON_CODES).not.toContain('delay')
  expect(labelOf(ALL_WITHDRAWAL_REASONS, 'delay')).toBe('Delay (where it arose not recorded)')
})

test('a new withdrawal cannot use the generic delay: it must say where the delay arose', () => {
  expect(withdrawalRuleErrors(w({ reasons: ['delay'] }), today)).toEqual([{ field: 'reasons', message: LEGACY_DELAY }])
  expect(withdrawalRuleErrors(w({ reasons: ['delay_police', 'delay_court'] }), today)).toEqual([])
})

test('“never supported from the outset” contradicts “supported and withdrew later”', () => {
  expect(withdrawalRuleErrors(w({ reasons: ['never_supported'], everSupported: true }), today)).toEqual([
    { field: 'reasons', message: NEVER_SUPPORTED_BUT_WITHDREW_LATER },
  ])
  expect(withdrawalRuleErrors(w({ reasons: ['never_supported'], everSupported: false }), today)).toEqual([])
  expect(withdrawalRuleErrors(w({ reasons: ['recorded_not_prosecuted'], everSupported: false }), today)).toEqual([])
})

test('the date, and details for another reason, as before', () => {
  expect(fields(withdrawalRuleErrors(w({ withdrawnOn: '2026-11-03' }), today))).toEqual(['withdrawnOn'])
  expect(fields(withdrawalRuleErrors(w({ reasons: ['other'] }), today))).toEqual(['details'])
})

test('a retraction statement needs what an MG6DAR holds', () => {
  expect(withdrawalRuleErrors(w(statement), today)).toEqual([])
  expect(fields(withdrawalRuleErrors(w({ retractionStatementTaken: true }), today))).toEqual([
    'retractionTakenOn',
    'retractionTakenBy',
    'maintainsAccountTrue',
    'pressureSuspected',
    'victimsOwnWords',
  ])
  const [before] = withdrawalRuleErrors(w({ ...statement, retractionTakenOn: '2026-10-19' }), today)
  expect(before).toEqual({
    field: 'retractionTakenOn',
    message: 'The date the retraction statement was taken must be between the withdrawal and today',
  })
  expect(fields(withdrawalRuleErrors(w({ ...statement, retractionTakenOn: '2026-11-03' }), today))).toEqual(['retractionTakenOn'])
})

test('suspected pressure needs details, and details need suspected pressure', () => {
  const errors = withdrawalRuleErrors(w({ ...statement, pressureSuspected: 'yes' }), today)
  expect(errors).toEqual([{ field: 'pressureDetails', message: 'Give details of the suspected pressure or intimidation' }])
  expect(
    withdrawalRuleErrors(w({ ...statement, pressureSuspected: 'yes', pressureDetails: 'Texts from family' }), today),
  ).toEqual([])
  expect(fields(withdrawalRuleErrors(w({ ...statement, pressureSuspected: 'unknown', pressureDetails: 'x' }), today))).toEqual([
    'pressureDetails',
  ])
  expect(withdrawalRuleErrors(w({ ...statement, pressureSuspected: 'unknown' }), today)).toEqual([])
})

test('no statement, no statement details', () => {
  expect(withdrawalRuleErrors(w({ victimsOwnWords: 'x' }), today)).toEqual([
    {
      field: 'retractionStatementTaken',
      message: 'Give the retraction statement’s details only when a retraction statement was taken',
    },
  ])
})

test('a withdrawal after a suspect is charged is after charge, whatever the case’s own stage', () => {
  expect(stageAtWithdrawal('with_cps', true)).toBe('charged')
  expect(stageAtWithdrawal('investigation', true)).toBe('charged')
  expect(stageAtWithdrawal('at_court', true)).toBe('at_court')
  expect(stageAtWithdrawal('charged', false)).toBe('charged')
  expect(stageAtWithdrawal('with_cps', false)).toBe('with_cps')
})

const none = { policeView: null, cpsView: null, decision: null, result: null }

test('the police give the police view; the CPS its view and the decision; either the result', () => {
  expect(elpForbidden('police_force', { policeView: 'a' })).toBeNull()
  expect(elpForbidden('cps_area', { policeView: 'a' })).toBe(ELP_POLICE_ONLY)
  expect(elpForbidden('police_force', { cpsView: 'a' })).toBe(ELP_CPS_ONLY)
  expect(elpForbidden('police_force', { decision: 'proceed' })).toBe(ELP_CPS_ONLY)
  expect(elpForbidden('cps_area', { cpsView: 'a', decision: 'proceed' })).toBeNull()
  expect(elpForbidden('police_force', { result: 'a' })).toBeNull()
  expect(elpForbidden('cps_area', { result: 'a' })).toBeNull()
})

test('a part sent again unchanged is not a change', () => {
  const before = { ...none, policeView: 'Strong 999 call' }
  expect(elpChanges({ policeView: 'Strong 999 call', cpsView: 'b' }, before)).toEqual({
    policeView: undefined,
    cpsView: 'b',
    decision: undefined,
    result: undefined,
  })
  expect(elpRuleErrors(elpChanges({ policeView: 'Strong 999 call' }, before), before)[0].field).toBe('body')
})

test('the decision comes with the CPS view; the result only after a decision to proceed', () => {
  expect(fields(elpRuleErrors({ decision: 'proceed' }, none))).toEqual(['cpsView'])
  expect(elpRuleErrors({ decision: 'proceed', cpsView: 'Enough without her' }, none)).toEqual([])
  expect(elpRuleErrors({ decision: 'proceed' }, { ...none, cpsView: 'x' })).toEqual([])
  expect(fields(elpRuleErrors({ result: 'Convicted' }, none))).toEqual(['result'])
  expect(fields(elpRuleErrors({ result: 'Convicted' }, { ...none, cpsView: 'x', decision: 'not_proceed' }))).toEqual(['result'])
  expect(elpRuleErrors({ result: 'Convicted' }, { ...none, cpsView: 'x', decision: 'proceed' })).toEqual([])
  const done = { ...none, cpsView: 'x', decision: 'proceed' as const, result: 'Convicted' }
  expect(fields(elpRuleErrors({ decision: 'not_proceed' }, done))).toEqual(['decision'])
  expect(fields(elpRuleErrors({ policeView: '' }, none))).toEqual(['policeView'])
})

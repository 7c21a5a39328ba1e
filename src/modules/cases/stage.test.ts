import { expect, test } from 'vitest'
import { stageOfOutcomes } from '../outcomes/codes.ts'
import { stageAfter, stageOf } from './stage.ts'

test('a new case is reported', () => {
  expect(stageOf(['case.created'])).toBe('reported')
})

test('investigative work moves a reported case into investigation, and only a reported one', () => {
  expect(stageOf(['case.created', 'suspect.added'])).toBe('investigation')
  expect(stageOf(['case.created', 'victim.recorded'])).toBe('investigation')
  expect(stageAfter('with_cps', 'suspect.status_changed')).toBe('with_cps')
})

test('a referral puts the case with the CPS for a decision', () => {
  expect(stageOf(['case.created', 'suspect.added', 'case.referred_to_cps'])).toBe('with_cps')
})

test('events that do not bear on the stage leave it alone', () => {
  expect(stageOf(['case.created', 'case.details_updated'])).toBe('reported')
})

test('finalising follows the outcome code; reopening returns the case to investigation', () => {
  const created = 'case.created'
  expect(stageOf([created, { type: 'case.finalised', data: { code: '1' } }])).toBe('charged')
  expect(stageOf([created, { type: 'case.finalised', data: { code: '16' } }])).toBe('no_further_action')
  expect(stageOf([created, { type: 'case.finalised', data: { code: '20' } }])).toBe('finalised')
  expect(stageOf([created, { type: 'case.finalised', data: { code: '16' } }, 'case.reopened'])).toBe('investigation')
})

test('a case file of several crimes: finalising one crime leaves the stage alone; the case takes the stage of all its outcomes', () => {
  const created = 'case.created'
  const crime = (code: string) => ({ type: 'crime.finalised', data: { code, crimeId: 'k' } })
  expect(stageOf([created, 'suspect.added', crime('16')])).toBe('investigation')
  const both = (stage: string) => ({ type: 'case.finalised', data: { code: '16', crimeId: 'k2', stage } })
  expect(stageOf([created, crime('20'), both(stageOfOutcomes(['20', '16']))])).toBe('finalised')
  expect(stageOf([created, crime('16'), both(stageOfOutcomes(['16', '14']))])).toBe('no_further_action')
  expect(stageOfOutcomes(['1', '16'])).toBe('charged')
  expect(stageOfOutcomes(['18'])).toBe('no_further_action')
})

test('early advice: requested puts the case in early advice; given, or the request rejected, returns it to investigation', () => {
  const start = ['case.created', 'suspect.added']
  expect(stageOf([...start, 'advice.requested'])).toBe('early_advice')
  expect(stageOf([...start, 'advice.requested', { type: 'advice.triaged', data: { decision: 'accepted' } }])).toBe('early_advice')
  expect(stageOf([...start, 'advice.requested', 'advice.given'])).toBe('investigation')
  expect(stageOf([...start, 'advice.requested', { type: 'advice.triaged', data: { decision: 'rejected' } }])).toBe(
    'investigation',
  )
  expect(stageOf([...start, 'advice.not_sought'])).toBe('investigation')
})

test('charging and action plans: referred, plan outstanding, answered, admin finalised and reopened', () => {
  const referred = ['case.created', 'suspect.added', 'charging.referred']
  expect(stageOf(referred)).toBe('with_cps')
  expect(stageOf([...referred, { type: 'charging.triaged', data: { decision: 'rejected' } }])).toBe('investigation')
  expect(stageOf([...referred, 'action_plan.issued'])).toBe('action_plan_outstanding')
  expect(stageOf([...referred, 'action_plan.issued', 'action_plan.action_responded'])).toBe('action_plan_outstanding')
  expect(stageOf([...referred, 'action_plan.issued', 'action_plan.responded'])).toBe('with_cps')
  expect(stageOf([...referred, 'action_plan.issued', 'case.admin_finalised'])).toBe('admin_finalised')
  expect(stageOf([...referred, 'action_plan.issued', 'case.admin_finalised', 'case.admin_reopened'])).toBe(
    'action_plan_outstanding',
  )
})

import { expect, test } from 'vitest'
import { LADDERS } from './ladders.ts'
import { recipientsOf, stepAt } from './sweeper.ts'

const at = (iso: string) => new Date(iso)
const clock = {
  remindAt: at('2026-11-11T00:00:00Z'),
  dueAt: at('2026-11-13T23:59:59.999Z'),
  criticalAt: at('2026-11-20T23:59:59.999Z'),
  remindedAt: null,
  escalationLevel: 0,
}

test('a clock takes the reminder, then level 1 once past due, then level 2 at the top of its ladder', () => {
  expect(stepAt(clock, at('2026-11-10T23:00:00Z'))).toBeNull()
  const reminder = stepAt(clock, at('2026-11-11T00:00:00Z'))
  expect(reminder).toEqual({ step: 'reminder', level: 0, reminded: true, next: at('2026-11-14T00:00:00Z') })
  const reminded = { ...clock, remindedAt: at('2026-11-11T00:00:00Z') }
  expect(stepAt(reminded, clock.dueAt)).toBeNull()
  const level1 = stepAt(reminded, at('2026-11-14T00:00:00Z'))
  expect(level1).toEqual({ step: 'escalation_1', level: 1, reminded: true, next: clock.criticalAt })
  const escalated = { ...reminded, escalationLevel: 1 }
  expect(stepAt(escalated, at('2026-11-20T12:00:00Z'))).toBeNull()
  expect(stepAt(escalated, clock.criticalAt)).toEqual({ step: 'escalation_2', level: 2, reminded: true, next: null })
  expect(stepAt({ ...escalated, escalationLevel: 2 }, at('2027-01-01T00:00:00Z'))).toBeNull()
})

test('found late, a clock goes straight to the highest step reached', () => {
  expect(stepAt(clock, at('2026-11-16T09:00:00Z'))?.step).toBe('escalation_1')
  expect(stepAt(clock, at('2026-11-30T09:00:00Z'))?.step).toBe('escalation_2')
})

test('police work goes officer, supervisor, inspector; CPS work prosecutor, unit lead, managers', () => {
  expect(recipientsOf(LADDERS.action_target, 'reminder')).toEqual(['owner'])
  expect(recipientsOf(LADDERS.action_target, 'escalation_1')).toEqual(['owner', 'case_supervisor'])
  expect(recipientsOf(LADDERS.action_target, 'escalation_2')).toEqual(['police_team_lead'])
  expect(recipientsOf(LADDERS.action_plan_review, 'escalation_1')).toEqual(['owner', 'cps_unit_lead'])
  expect(recipientsOf(LADDERS.action_plan_review, 'escalation_2')).toEqual(['cps_managers'])
  // A clock people only watch in their queues chases nobody.
  expect(recipientsOf(LADDERS.admin_finalise_wait, 'escalation_1')).toEqual([])
})

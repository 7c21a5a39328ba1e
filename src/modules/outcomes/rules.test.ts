import { expect, test } from 'vitest'
import { outcomeRuleErrors } from './rules.ts'
import type { Finalise } from './schema.ts'

const facts = { withdrawn: false, suspectIdentified: false, today: '2026-11-02', dateReported: '2026-10-01' }
const f = (over: Partial<Finalise>): Finalise => ({
  code: '18',
  finalisedOn: '2026-11-01',
  decidedBy: null,
  rationale: '',
  victimToldOn: null,
  victimToldHow: '',
  ...over,
})
const fields = (errors: { field: string }[]) => errors.map((e) => e.field)

test('14 and 16 need a withdrawal that is still in force', () => {
  expect(fields(outcomeRuleErrors(f({ code: '14' }), facts))).toEqual(['code'])
  expect(outcomeRuleErrors(f({ code: '14' }), { ...facts, withdrawn: true })).toEqual([])
  const identified = { ...facts, suspectIdentified: true }
  expect(fields(outcomeRuleErrors(f({ code: '16' }), identified))).toEqual(['code'])
  expect(outcomeRuleErrors(f({ code: '16' }), { ...identified, withdrawn: true })).toEqual([])
})

test('14 is for a suspect not identified, 16 for one identified', () => {
  const withdrawn = { ...facts, withdrawn: true }
  expect(outcomeRuleErrors(f({ code: '14' }), { ...withdrawn, suspectIdentified: true })[0].message).toMatch(/not identified/)
  expect(outcomeRuleErrors(f({ code: '16' }), withdrawn)[0].message).toMatch(/needs an identified suspect/)
})

test('15 records whether the police or the CPS decided', () => {
  expect(fields(outcomeRuleErrors(f({ code: '15' }), facts))).toEqual(['decidedBy'])
  expect(outcomeRuleErrors(f({ code: '15', decidedBy: 'cps' }), facts)).toEqual([])
})

test('21 needs a rationale and when and how the victim was told', () => {
  expect(fields(outcomeRuleErrors(f({ code: '21' }), facts))).toEqual(['rationale', 'victimToldOn'])
  expect(fields(outcomeRuleErrors(f({ code: '21', rationale: 'r', victimToldOn: '2026-11-01' }), facts))).toEqual([
    'victimToldOn',
  ])
  expect(
    outcomeRuleErrors(f({ code: '21', rationale: 'r', victimToldOn: '2026-11-01', victimToldHow: 'in person' }), facts),
  ).toEqual([])
})

test('the outcome date lies between the report and today', () => {
  expect(fields(outcomeRuleErrors(f({ finalisedOn: '2026-11-03' }), facts))).toEqual(['finalisedOn'])
  expect(fields(outcomeRuleErrors(f({ finalisedOn: '2026-09-30' }), facts))).toEqual(['finalisedOn'])
})

test('other codes carry no extra rule', () => {
  expect(outcomeRuleErrors(f({ code: '1' }), facts)).toEqual([])
})

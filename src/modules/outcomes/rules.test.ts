import { describe, expect, test } from 'vitest'
import { OUTCOMES, POLICE_OUTCOMES } from './codes.ts'
import { type OutcomeFacts, outcomeRuleErrors } from './rules.ts'
import type { Finalise } from './schema.ts'

const base: OutcomeFacts = {
  withdrawn: false,
  suspectIdentified: false,
  earlyAdviceConsidered: true,
  indictableOnly: true,
  today: '2026-11-02',
  dateReported: '2026-10-01',
}
/** A form with every optional field filled, so only the code's own preconditions decide. */
const complete = (code: string, over: Partial<Finalise> = {}): Finalise => ({
  code: code as Finalise['code'],
  finalisedOn: '2026-11-01',
  decidedBy: null,
  rationale: 'The reasons for the decision',
  victimToldOn: '2026-11-01',
  victimToldHow: 'In person',
  cpsAgreedBy: 'A prosecutor',
  cpsAgreedOn: '2026-10-30',
  ...over,
})
const fields = (errors: { field: string }[]) => errors.map((e) => e.field)

/**
 * The counting rules of DOMAIN.md, written out by hand code by code, in four situations: no
 * suspect identified (A), a suspect identified and the victim supporting action (B), a suspect
 * identified and the victim withdrawn (C), no suspect and the victim withdrawn (D).
 */
const SITUATIONS: Record<string, Partial<OutcomeFacts>> = {
  A: {},
  B: { suspectIdentified: true },
  C: { suspectIdentified: true, withdrawn: true },
  D: { withdrawn: true },
}
const ACCEPTED_IN: Record<string, string> = {
  '1': '', // charge: a CPS decision
  '1A': '',
  '2': 'BC', // cautions need a suspect (and, for rape, CPS agreement, given here)
  '3': 'BC',
  '4': 'BC',
  '5': 'BC',
  '6': '', // penalty notices, cannabis warnings and community resolutions never apply to sexual offences
  '7': '',
  '8': '',
  '9': '', // a CPS decision
  '10': 'BC',
  '11': 'BC',
  '12': 'BC',
  '13': 'BC',
  '14': 'D', // no suspect, victim withdrawn
  '15': 'B', // suspect, victim supports
  '16': 'C', // suspect, victim withdrawn
  '17': '', // sexual offences have no time limit
  '18': 'AD', // no suspect
  '19': '', // fraud bureau
  '20': 'ABCD',
  '21': 'BC',
  '22': 'BC',
}

describe('the outcome table, code by code', () => {
  test('every Home Office code is in the table and in this test', () => {
    expect(OUTCOMES.map((o) => o.code).sort()).toEqual(Object.keys(ACCEPTED_IN).sort())
  })

  for (const [code, accepted] of Object.entries(ACCEPTED_IN)) {
    test(`outcome ${code} is accepted only in situations ${accepted || 'none'}`, () => {
      for (const [name, facts] of Object.entries(SITUATIONS)) {
        const errors = outcomeRuleErrors(complete(code), { ...base, ...facts })
        expect({ situation: name, errors: errors.map((e) => e.message) }).toEqual({
          situation: name,
          errors: accepted.includes(name) ? [] : expect.arrayContaining([expect.any(String)]),
        })
      }
    })
  }

  test('the police form offers no CPS decision and nothing that cannot apply to a sexual offence', () => {
    expect(POLICE_OUTCOMES.map((o) => o.code)).toEqual(
      Object.entries(ACCEPTED_IN)
        .filter(([, accepted]) => accepted !== '')
        .map(([code]) => code),
    )
  })
})

describe('why an outcome is refused', () => {
  test('charge and a CPS decision not to prosecute come only from the CPS', () => {
    for (const code of ['1', '1A', '9']) {
      expect(outcomeRuleErrors(complete(code), { ...base, suspectIdentified: true })[0].message).toMatch(/CPS charging decision/)
    }
    const cps15 = outcomeRuleErrors(complete('15', { decidedBy: 'cps' }), { ...base, suspectIdentified: true })
    expect(fields(cps15)).toEqual(['decidedBy'])
  })

  test('disposals that cannot apply to a sexual offence say so', () => {
    for (const code of ['6', '7', '8', '17', '19']) {
      expect(outcomeRuleErrors(complete(code), { ...base, suspectIdentified: true })[0].message).toMatch(
        /cannot be used for a sexual offence/,
      )
    }
  })

  test('14 and 16 need a withdrawal still in force; 15 is refused with one', () => {
    expect(outcomeRuleErrors(complete('14'), base)[0].message).toMatch(/needs the victim’s withdrawal/)
    expect(outcomeRuleErrors(complete('16'), { ...base, suspectIdentified: true })[0].message).toMatch(
      /needs the victim’s withdrawal/,
    )
    expect(outcomeRuleErrors(complete('15'), { ...base, suspectIdentified: true, withdrawn: true })[0].message).toMatch(
      /consider outcome 16/,
    )
  })

  test('14 and 18 need no suspect identified; 15, 16, 21, 10, cautions and 22 need one', () => {
    expect(outcomeRuleErrors(complete('18'), { ...base, suspectIdentified: true })[0].message).toMatch(/not identified/)
    for (const code of ['10', '15', '21', '22', '3']) {
      expect(outcomeRuleErrors(complete(code), base)[0].message).toMatch(/needs an identified suspect/)
    }
  })

  test('police no further action against an identified suspect needs early advice considered', () => {
    for (const code of ['10', '15', '21', '22']) {
      const errors = outcomeRuleErrors(complete(code), { ...base, suspectIdentified: true, earlyAdviceConsidered: false })
      expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/Early advice must be considered/)])
    }
    // With no suspect there is no one to advise on charging.
    expect(outcomeRuleErrors(complete('18'), { ...base, earlyAdviceConsidered: false })).toEqual([])
  })

  test('a caution for an indictable-only offence needs the CPS’s agreement, who and when', () => {
    const facts = { ...base, suspectIdentified: true }
    expect(fields(outcomeRuleErrors(complete('3', { cpsAgreedBy: '' }), facts))).toEqual(['cpsAgreedBy'])
    expect(fields(outcomeRuleErrors(complete('3', { cpsAgreedOn: null }), facts))).toEqual(['cpsAgreedBy'])
    expect(outcomeRuleErrors(complete('3', { cpsAgreedBy: '', cpsAgreedOn: null }), { ...facts, indictableOnly: false })).toEqual(
      [],
    )
    expect(fields(outcomeRuleErrors(complete('3', { cpsAgreedOn: '2026-11-03' }), facts))).toEqual(['cpsAgreedOn'])
  })

  test('every police decision to take no further action needs a rationale', () => {
    for (const code of ['10', '14', '15', '16', '18', '21', '22']) {
      const facts = { ...base, suspectIdentified: !['14', '18'].includes(code), withdrawn: ['14', '16'].includes(code) }
      expect(fields(outcomeRuleErrors(complete(code, { rationale: '' }), facts))).toEqual(['rationale'])
    }
  })

  test('21 needs when and how the victim was told, not in the future', () => {
    const facts = { ...base, suspectIdentified: true }
    expect(fields(outcomeRuleErrors(complete('21', { victimToldOn: null }), facts))).toEqual(['victimToldOn'])
    expect(fields(outcomeRuleErrors(complete('21', { victimToldHow: '' }), facts))).toEqual(['victimToldOn'])
    expect(outcomeRuleErrors(complete('21', { victimToldOn: '2026-11-03' }), facts)[0].message).toMatch(/today or in the past/)
  })

  test('the date of the outcome is between the date reported and today', () => {
    expect(fields(outcomeRuleErrors(complete('18', { finalisedOn: '2026-11-03' }), base))).toEqual(['finalisedOn'])
    expect(fields(outcomeRuleErrors(complete('18', { finalisedOn: '2026-09-30' }), base))).toEqual(['finalisedOn'])
  })
})

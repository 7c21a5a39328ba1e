import type { FieldError } from '../../platform/errors.ts'
import { NEEDS_WITHDRAWAL } from './codes.ts'
import type { Finalise } from './schema.ts'

/**
 * The rules each Home Office outcome carries, as one pure function so every rule has a test:
 * 14 and 16 need the victim's withdrawal on record, 14 with no suspect identified and 16 with
 * one; 15 records whether police or CPS decided; 21 needs a rationale and a record that the
 * victim was told.
 */
export function outcomeRuleErrors(
  f: Finalise,
  facts: { withdrawn: boolean; suspectIdentified: boolean; today: string; dateReported: string },
): FieldError[] {
  const errors: FieldError[] = []
  if (f.finalisedOn > facts.today || f.finalisedOn < facts.dateReported) {
    errors.push({ field: 'finalisedOn', message: 'The date of the outcome must be between the date reported and today' })
  }
  if (NEEDS_WITHDRAWAL.includes(f.code) && !facts.withdrawn) {
    errors.push({
      field: 'code',
      message: `Outcome ${f.code} needs the victim’s withdrawal of support to be recorded first, and not followed by re-engagement`,
    })
  }
  if (f.code === '14' && facts.suspectIdentified) {
    errors.push({
      field: 'code',
      message: 'Outcome 14 is for a suspect not identified, but a suspect on this case is identified',
    })
  }
  if (f.code === '16' && !facts.suspectIdentified) {
    errors.push({ field: 'code', message: 'Outcome 16 needs an identified suspect: record the suspect first' })
  }
  if (f.code === '15' && !f.decidedBy) {
    errors.push({ field: 'decidedBy', message: 'Outcome 15 needs a record of whether the police or the CPS decided' })
  }
  if (f.code === '21') {
    if (!f.rationale) errors.push({ field: 'rationale', message: 'Outcome 21 needs the rationale for the decision' })
    if (!f.victimToldOn || !f.victimToldHow) {
      errors.push({ field: 'victimToldOn', message: 'Outcome 21 needs a record of when and how the victim was told' })
    } else if (f.victimToldOn > facts.today) {
      errors.push({ field: 'victimToldOn', message: 'The date the victim was told must be today or in the past' })
    }
  }
  return errors
}

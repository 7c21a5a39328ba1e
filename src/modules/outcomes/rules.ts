import type { FieldError } from '../../platform/errors.ts'
import { outcome } from './codes.ts'
import type { Finalise } from './schema.ts'

/** What the rules need to know about the case at the moment an outcome is recorded or authorised. */
export interface OutcomeFacts {
  withdrawn: boolean
  suspectIdentified: boolean
  earlyAdviceConsidered: boolean
  /** Any offence on the case is indictable only (rape): a caution then needs CPS agreement. */
  indictableOnly: boolean
  today: string
  dateReported: string
}

/**
 * The counting rules of the police outcome form, read from the one outcome table (codes.ts), as
 * one pure function so each rule has a test. Authorisation by a supervisor is checked by the
 * service, which knows who is asking; everything about the outcome itself is here.
 */
export function outcomeRuleErrors(f: Finalise, facts: OutcomeFacts): FieldError[] {
  const errors: FieldError[] = []
  const rule = outcome(f.code)
  if (!rule) return [{ field: 'code', message: 'Select the outcome' }]
  const refuse = (field: string, message: string) => errors.push({ field, message })
  if (f.finalisedOn > facts.today || f.finalisedOn < facts.dateReported) {
    refuse('finalisedOn', 'The date of the outcome must be between the date reported and today')
  }
  if (!rule.sexualOffences) {
    refuse('code', `Outcome ${f.code} (${rule.label.toLowerCase()}) cannot be used for a sexual offence`)
    return errors
  }
  if (rule.decider === 'cps') {
    refuse(
      'code',
      `Outcome ${f.code} follows a CPS charging decision: for rape the CPS decides whether to charge, so the police cannot record it`,
    )
    return errors
  }
  if (f.code === '15' && f.decidedBy === 'cps') {
    refuse(
      'decidedBy',
      'Outcome 15 decided by the CPS comes from a CPS charging decision: the police record only their own decisions',
    )
  }
  if (rule.withdrawal === 'needed' && !facts.withdrawn) {
    refuse(
      'code',
      `Outcome ${f.code} needs the victim’s withdrawal of support to be recorded first, and not followed by re-engagement`,
    )
  }
  if (rule.withdrawal === 'refused' && facts.withdrawn) {
    refuse(
      'code',
      `Outcome ${f.code} is for a victim who supports action, but the victim’s withdrawal is on record: consider outcome 16`,
    )
  }
  if (rule.suspect === 'none' && facts.suspectIdentified) {
    refuse('code', `Outcome ${f.code} is for a suspect not identified, but a suspect on this case is identified`)
  }
  if (rule.suspect === 'identified' && !facts.suspectIdentified) {
    refuse('code', `Outcome ${f.code} needs an identified suspect: record the suspect first`)
  }
  if (rule.policeNfa && facts.suspectIdentified && !facts.earlyAdviceConsidered) {
    refuse(
      'code',
      'Early advice must be considered before the police take no further action against an identified suspect: request it or record why it is not sought',
    )
  }
  if (rule.caution && facts.indictableOnly && (!f.cpsAgreedOn || !f.cpsAgreedBy)) {
    refuse(
      'cpsAgreedBy',
      'A caution for an indictable-only offence needs the CPS’s agreement: record who at the CPS agreed and when (Criminal Justice and Courts Act 2015, section 17)',
    )
  } else if (f.cpsAgreedOn && f.cpsAgreedOn > facts.today) {
    refuse('cpsAgreedOn', 'The date the CPS agreed must be today or in the past')
  }
  if (rule.rationale && !f.rationale) refuse('rationale', `Outcome ${f.code} needs the rationale for the decision`)
  if (rule.victimTold) {
    if (!f.victimToldOn || !f.victimToldHow) {
      refuse('victimToldOn', `Outcome ${f.code} needs a record of when and how the victim was told`)
    } else if (f.victimToldOn > facts.today) {
      refuse('victimToldOn', 'The date the victim was told must be today or in the past')
    }
  }
  return errors
}

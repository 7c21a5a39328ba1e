import { type Actor, hasRole } from '../../platform/access/actor.ts'

/**
 * Suspect details are police and CPS casework only, on top of the case's own access. ISVAs
 * support the victim, are independent of police and CPS, and must never see who is suspected:
 * when a later issue gives ISVAs a relation to a case, openCase will let them into the case and
 * this check still keeps them (and anyone else outside casework) out of its suspects, with a 404.
 */
export function maySeeSuspects(actor: Actor): boolean {
  if (actor.organisationKind === 'police_force') return hasRole(actor, 'investigator', 'police_supervisor')
  if (actor.organisationKind === 'cps_area') return hasRole(actor, 'prosecutor', 'cps_manager')
  return false
}

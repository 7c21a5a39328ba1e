export const ROLES = [
  'investigator',
  'police_supervisor',
  'prosecutor',
  'cps_manager',
  'isva',
  'analyst',
  'administrator',
] as const
export type Role = (typeof ROLES)[number]

export const ORGANISATION_KINDS = ['police_force', 'cps_area', 'support_service'] as const
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number]

export const ROLE_LABELS: Record<Role, string> = {
  investigator: 'Investigator (officer in charge)',
  police_supervisor: 'Police supervisor',
  prosecutor: 'Prosecutor',
  cps_manager: 'CPS manager or District Crown Prosecutor',
  isva: 'Independent Sexual Violence Adviser (ISVA)',
  analyst: 'Performance analyst',
  administrator: 'Administrator',
}

/** Which roles an organisation of each kind may give its staff. */
export const ROLES_BY_KIND: Record<OrganisationKind, readonly Role[]> = {
  police_force: ['investigator', 'police_supervisor', 'analyst', 'administrator'],
  cps_area: ['prosecutor', 'cps_manager', 'analyst', 'administrator'],
  support_service: ['isva', 'administrator'],
}

/**
 * Who is making a request: a person, or a system client (another organisation's computer system
 * calling the API under its own name, docs/decisions/0011). The policy treats both alike, by
 * organisation and roles; only the audit log and the pages that name people tell them apart.
 */
export interface Actor {
  id: string
  username: string
  displayName: string
  organisationId: string
  organisationKind: OrganisationKind
  organisationName: string
  roles: Role[]
  /** The user's team (a police team or CPS unit): with it they have a direct part in the team's cases. */
  teamId: string | null
  systemClient: boolean
}

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r))
}

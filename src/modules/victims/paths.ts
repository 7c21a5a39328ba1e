/**
 * Addresses of a victim's sections. A case file may hold several victims, so a section that
 * belongs to one victim (details, communication, support, withdrawal) lives under
 * `/cases/:id/victims/:victimId`. The address it had when a case held one victim stays in use
 * for the case's one victim (openVictimSection resolves it, or asks which victim when there are
 * several), so links and API clients written for one victim keep working.
 */

/** Both addresses of a section, Fastify style: `section` under the victim, `sole` under the case. */
export function victimPaths(section: string, sole = section): [string, string] {
  return [`/cases/:id/victims/:victimId${section}`, `/cases/:id${sole}`]
}

/** The same, as the OpenAPI document writes paths (`{id}`). */
export function victimApiPaths(section: string, sole = section): [string, string] {
  return victimPaths(section, sole).map((p) => p.replace(/:(\w+)/g, '{$1}')) as [string, string]
}

/** The start of a section's links: under the victim when one is named, under the case otherwise. */
export function victimBase(caseId: string, victimId: string | null | undefined): string {
  return victimId ? `/cases/${caseId}/victims/${victimId}` : `/cases/${caseId}`
}

/** The address of the same section for a chosen victim: `/cases/x/victim/details` → `/cases/x/victims/v/details`. */
export function addressForVictim(url: string, victimId: string): string {
  return url.replace(/^\/cases\/([^/?]+)(\/victim(?=[/?]|$))?/, `/cases/$1/victims/${victimId}`)
}

/** Which victim a request names: `{ victimId }`, undefined at the case's own address. */
export const whichVictim = (req: { params: unknown }) => ({ victimId: (req.params as { victimId?: string }).victimId })

/**
 * Addresses of the parts of a case that belong to one crime (its outcome). A case file may hold
 * several crimes, so such a part lives under `/cases/:id/crimes/:crimeId`. The address it had
 * when a case held one crime stays in use for the case's one crime (openCrimeSection resolves it,
 * or asks which crime when there are several), so links and API clients keep working.
 */

/** Both addresses of a part, Fastify style: under the crime, and the old one under the case. */
export function crimePaths(section: string): [string, string] {
  return [`/cases/:id/crimes/:crimeId${section}`, `/cases/:id${section}`]
}

/** The same, as the OpenAPI document writes paths (`{id}`). */
export function crimeApiPaths(section: string): [string, string] {
  return crimePaths(section).map((p) => p.replace(/:(\w+)/g, '{$1}')) as [string, string]
}

/** The start of a part's links: under the crime when the page was opened for one, under the case otherwise. */
export function crimeBase(caseId: string, crimeId: string | null | undefined): string {
  return crimeId ? `/cases/${caseId}/crimes/${crimeId}` : `/cases/${caseId}`
}

/** The address of the same part for a chosen crime: `/cases/x/outcome` → `/cases/x/crimes/k/outcome`. */
export function addressForCrime(url: string, crimeId: string): string {
  return url.replace(/^\/cases\/([^/?]+)(?=\/outcome(?:[/?]|$))/, `/cases/$1/crimes/${crimeId}`)
}

import type { Api } from '../../platform/api/openapi.ts'
import { Codes, CpsAreas, People, Teams } from './schema.ts'
import * as service from './service.ts'

export function lookupApi(api: Api) {
  api.route({
    method: 'get',
    path: '/lookups/people',
    tag: 'Lookups',
    summary:
      'The caller’s own organisation’s active casework staff, whose ids cases, triage and plans take: investigators and police supervisors for a force, prosecutors and CPS managers for a CPS Area, ISVAs for a support service. Work names and roles only; the listing is audited',
    response: People,
    handler: (ctx) => service.people(ctx),
  })
  api.route({
    method: 'get',
    path: '/lookups/teams',
    tag: 'Lookups',
    summary: 'The teams of the caller’s own organisation (for a CPS Area, its units)',
    response: Teams,
    handler: (ctx) => service.teams(ctx),
  })
  api.route({
    method: 'get',
    path: '/lookups/cps-areas',
    tag: 'Lookups',
    summary: 'Every CPS Area, marking the one the caller’s force refers its cases to',
    response: CpsAreas,
    handler: (ctx) => service.cpsAreas(ctx),
  })
  api.route({
    method: 'get',
    path: '/lookups/codes',
    tag: 'Lookups',
    summary:
      'The code lists the API takes and answers with, each code with its label: offences, outcomes, withdrawal reasons, protected characteristics and their answers, support, advice, triage, charging, action plan and contact codes, roles',
    response: Codes,
    handler: async () => service.CODES,
  })
}

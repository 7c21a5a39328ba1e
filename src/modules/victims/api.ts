import type { Api } from '../../platform/api/openapi.ts'
import { victimApiPaths, whichVictim } from './paths.ts'
import {
  CompletenessCounts,
  CompletenessReport,
  CompletenessReportQuery,
  VictimAnswer,
  VictimCharacteristics,
  VictimDetails,
  VictimList,
} from './schema.ts'
import * as service from './service.ts'

const caseId = (req: { params: unknown }) => (req.params as { id: string }).id

const victimId = (req: { params: unknown }) => whichVictim(req).victimId

/** Each victim route has two addresses: under the named victim, and the case's old one for its one victim (paths.ts). */
const ONE_VICTIM =
  ' At /cases/{id}/victim…, the case’s one victim: 409 several_victims when the case file holds several the caller knows of.'

export function victimApi(api: Api) {
  api.route({
    method: 'get',
    path: '/cases/{id}/victims',
    tag: 'Victims',
    summary: 'The victims of the case file the caller may know of, by name (a support service: only the victim it supports)',
    response: VictimList,
    refusals: ['forbidden'],
    handler: async (ctx, req) => ({ victims: await service.listVictims(ctx, caseId(req)) }),
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/victims',
    tag: 'Victims',
    summary: 'Add a victim to the case file (police and CPS); then add their crime at /cases/{id}/crimes',
    body: VictimDetails,
    response: VictimAnswer,
    status: 201,
    refusals: ['forbidden'],
    handler: async (ctx, req) => ({ victim: await service.saveVictimDetails(ctx, caseId(req), req.body, { another: true }) }),
  })
  for (const path of victimApiPaths('', '/victim')) {
    api.route({
      method: 'get',
      path,
      tag: 'Victims',
      summary: `A victim with their characteristics and completeness, or null when none is recorded yet.${ONE_VICTIM}`,
      response: VictimAnswer,
      refusals: ['forbidden', 'conflict'],
      handler: async (ctx, req) => ({ victim: (await service.viewVictim(ctx, caseId(req), { victimId: victimId(req) })).victim }),
    })
    api.route({
      method: 'put',
      path,
      tag: 'Victims',
      summary: `Record the case’s victim, or replace a victim’s identity, contact details, language, vulnerability and needs.${ONE_VICTIM}`,
      body: VictimDetails,
      response: VictimAnswer,
      refusals: ['forbidden', 'conflict'],
      handler: async (ctx, req) => ({
        victim: await service.saveVictimDetails(ctx, caseId(req), req.body, { victimId: victimId(req) }),
      }),
    })
  }
  for (const path of victimApiPaths('/characteristics', '/victim/characteristics')) {
    api.route({
      method: 'put',
      path,
      tag: 'Victims',
      summary: `Replace the answers to the nine protected characteristics; a characteristic left out is "not_asked". Ethnicity takes a detailed 2021 Census category (an old broad-only value may only be sent back unchanged); age takes an age band only when no date of birth is recorded, otherwise "from_date_of_birth" or nothing.${ONE_VICTIM}`,
      body: VictimCharacteristics,
      response: VictimAnswer,
      refusals: ['forbidden', 'conflict'],
      handler: async (ctx, req) => ({
        victim: await service.saveCharacteristics(ctx, caseId(req), req.body, { victimId: victimId(req) }),
      }),
    })
  }
  api.route({
    method: 'get',
    path: '/victims/completeness',
    tag: 'Victims',
    summary: 'How many victims of the cases the caller may see have all nine protected characteristics answered',
    response: CompletenessCounts,
    handler: (ctx) => service.completenessInScope(ctx),
  })
  api.route({
    method: 'get',
    path: '/victims/completeness/report',
    tag: 'Victims',
    summary:
      'Protected characteristics completeness for one financial-year quarter, per characteristic, force and team, with ethnic group at both levels (police supervisors: own force; CPS managers: cases referred to own Area). Counts victims of cases whose crime was recorded in the quarter',
    query: CompletenessReportQuery,
    response: CompletenessReport,
    handler: (ctx, req) => service.completenessReport(ctx, (req.query as { quarter?: string }).quarter),
  })
}

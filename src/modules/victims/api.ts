import type { Api } from '../../platform/api/openapi.ts'
import {
  CompletenessCounts,
  CompletenessReport,
  CompletenessReportQuery,
  VictimAnswer,
  VictimCharacteristics,
  VictimDetails,
} from './schema.ts'
import * as service from './service.ts'

const caseId = (req: { params: unknown }) => (req.params as { id: string }).id

export function victimApi(api: Api) {
  api.route({
    method: 'get',
    path: '/cases/{id}/victim',
    tag: 'Victims',
    summary: 'The case’s victim with their characteristics and completeness, or null when none is recorded yet',
    response: VictimAnswer,
    refusals: ['forbidden'],
    handler: async (ctx, req) => ({ victim: (await service.viewVictim(ctx, caseId(req))).victim }),
  })
  api.route({
    method: 'put',
    path: '/cases/{id}/victim',
    tag: 'Victims',
    summary: 'Record the case’s victim, or replace their identity, contact details, language, vulnerability and needs',
    body: VictimDetails,
    response: VictimAnswer,
    refusals: ['forbidden', 'conflict'],
    handler: async (ctx, req) => ({ victim: await service.saveVictimDetails(ctx, caseId(req), req.body) }),
  })
  api.route({
    method: 'put',
    path: '/cases/{id}/victim/characteristics',
    tag: 'Victims',
    summary:
      'Replace the answers to the nine protected characteristics; a characteristic left out is "not_asked". Ethnicity takes a detailed 2021 Census category (an old broad-only value may only be sent back unchanged); age takes an age band only when no date of birth is recorded, otherwise "from_date_of_birth" or nothing',
    body: VictimCharacteristics,
    response: VictimAnswer,
    refusals: ['forbidden', 'conflict'],
    handler: async (ctx, req) => ({ victim: await service.saveCharacteristics(ctx, caseId(req), req.body) }),
  })
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

import type { Api } from '../../platform/api/openapi.ts'
import { CompletenessCounts, VictimAnswer, VictimCharacteristics, VictimDetails } from './schema.ts'
import * as service from './service.ts'

const caseId = (req: { params: unknown }) => (req.params as { id: string }).id

export function victimApi(api: Api) {
  api.route({
    method: 'get',
    path: '/cases/{id}/victim',
    tag: 'Victims',
    summary: 'The case’s victim with their characteristics and completeness, or null when none is recorded yet',
    response: VictimAnswer,
    handler: async (ctx, req) => ({ victim: (await service.viewVictim(ctx, caseId(req))).victim }),
  })
  api.route({
    method: 'put',
    path: '/cases/{id}/victim',
    tag: 'Victims',
    summary: 'Record the case’s victim, or replace their identity, contact details, language, vulnerability and needs',
    body: VictimDetails,
    response: VictimAnswer,
    handler: async (ctx, req) => ({ victim: await service.saveVictimDetails(ctx, caseId(req), req.body) }),
  })
  api.route({
    method: 'put',
    path: '/cases/{id}/victim/characteristics',
    tag: 'Victims',
    summary: 'Replace the answers to the nine protected characteristics; a characteristic left out is "not_asked"',
    body: VictimCharacteristics,
    response: VictimAnswer,
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
}

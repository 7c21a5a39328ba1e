import type { Api } from '../../platform/api/openapi.ts'
import { AddSuspect, RecordStatus, Suspect, SuspectList } from './schema.ts'
import * as service from './service.ts'

type Params = { id: string; suspectId: string }

export function suspectApi(api: Api) {
  api.route({
    method: 'get',
    path: '/cases/{id}/suspects',
    tag: 'Suspects',
    summary: 'The case’s suspects, each with its current status and status history (newest first)',
    response: SuspectList,
    refusals: ['forbidden'],
    handler: async (ctx, req) => {
      const { suspects } = await service.listSuspects(ctx, (req.params as Params).id)
      return { suspects }
    },
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/suspects',
    tag: 'Suspects',
    summary: 'Add a suspect, identified (with a name) or not yet identified',
    body: AddSuspect,
    response: Suspect,
    status: 201,
    refusals: ['forbidden'],
    handler: (ctx, req) => service.addSuspect(ctx, (req.params as Params).id, req.body),
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/suspects/{suspectId}/statuses',
    tag: 'Suspects',
    summary: 'Record a suspect’s new status; a status that cannot follow the current one is a 400 naming the rule',
    body: RecordStatus,
    response: Suspect,
    status: 201,
    refusals: ['forbidden'],
    handler: (ctx, req) => {
      const { id, suspectId } = req.params as Params
      return service.recordStatus(ctx, id, suspectId, req.body)
    },
  })
}

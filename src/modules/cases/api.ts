import { z } from 'zod'
import type { Api } from '../../platform/api/openapi.ts'
import { crimeApi } from './crimes-routes.ts'
import { CaseListQuery, parseListQuery, SearchTerms } from './find.ts'
import { restrictionApi } from './restriction-routes.ts'
import { CaseDetail, CaseDetails, CaseSummary, CreateCase } from './schema.ts'
import * as service from './service.ts'

const CaseList = z.object({ page: z.number(), pageSize: z.number(), total: z.number(), cases: z.array(CaseSummary) })

export function caseApi(api: Api) {
  api.route({
    method: 'post',
    path: '/cases',
    tag: 'Cases',
    summary: 'Record a new case for the caller’s force',
    body: CreateCase,
    response: CaseDetail,
    status: 201,
    refusals: ['forbidden'],
    handler: (ctx, req) => service.createCase(ctx, req.body),
  })
  api.route({
    method: 'get',
    path: '/cases',
    tag: 'Cases',
    summary: 'Cases the caller may see, filtered and sorted (newest first by default), 25 a page',
    query: CaseListQuery,
    response: CaseList,
    handler: (ctx, req) => service.listCases(ctx, parseListQuery(req.query)),
  })
  api.route({
    method: 'post',
    path: '/cases/search',
    tag: 'Cases',
    summary:
      'Search the cases the caller may see by the start of a URN and/or victim or suspect names (in the body, never the URL); the list’s filters, sort and page as query parameters',
    query: CaseListQuery,
    body: SearchTerms,
    response: CaseList,
    handler: (ctx, req) => service.searchCases(ctx, req.body, parseListQuery(req.query)),
  })
  api.route({
    method: 'get',
    path: '/cases/{id}',
    tag: 'Cases',
    summary: 'One case with its timeline',
    response: CaseDetail,
    refusals: ['forbidden'],
    handler: (ctx, req) => service.viewCase(ctx, (req.params as { id: string }).id),
  })
  api.route({
    method: 'put',
    path: '/cases/{id}/details',
    tag: 'Cases',
    summary: 'Change what the police recorded about a case (offences, dates, officer, supervisor, team)',
    body: CaseDetails,
    response: CaseDetail,
    refusals: ['forbidden'],
    handler: async (ctx, req) => {
      const { id } = req.params as { id: string }
      await service.updateCaseDetails(ctx, id, req.body)
      return service.viewCase(ctx, id, { audited: false })
    },
  })
  crimeApi(api)
  restrictionApi(api)
}

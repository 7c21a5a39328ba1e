import { z } from 'zod'
import { ROLES } from '../../platform/access/actor.ts'

const Coded = z.object({ code: z.string(), label: z.string() })

export const People = z.object({
  people: z.array(
    z.object({
      id: z.uuid(),
      name: z.string().describe('The work name the organisation gave them'),
      roles: z.array(z.enum(ROLES)),
      teamId: z.uuid().nullable(),
    }),
  ),
})

export const Teams = z.object({ teams: z.array(z.object({ id: z.uuid(), name: z.string() })) })

export const CpsAreas = z.object({
  areas: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      servesCallersForce: z.boolean().describe('The Area the caller’s force refers its cases to'),
    }),
  ),
})

export const Codes = z.object({
  offences: z.array(Coded.extend({ rape: z.boolean() })),
  outcomes: z.array(Coded.extend({ decider: z.enum(['police', 'cps', 'either']), policeMayRecord: z.boolean() })),
  withdrawalReasons: z.array(Coded),
  pressureAnswers: z.array(Coded),
  elpDecisions: z.array(Coded),
  characteristics: z.array(
    z.object({ key: z.string(), name: z.string(), answers: z.array(z.object({ value: z.string(), label: z.string() })) }),
  ),
  supportKinds: z.array(Coded),
  supportOffered: z.array(Coded),
  notSoughtReasons: z.array(Coded),
  triageReasons: z.array(Coded),
  mgForms: z.array(Coded),
  approvalThemes: z.array(Coded),
  contactChannels: z.array(Coded),
  nfaPreferences: z.array(Coded),
  roles: z.array(Coded),
})

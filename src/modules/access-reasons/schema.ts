import { z } from 'zod'
import { ACCESS_REASON_CODES } from '../../platform/access/reasons.ts'

export const DETAIL_MAX = 500

/** Why someone without a direct part in a case needs to see its victims; free text only for "other". */
export const AccessReasonInput = z
  .object({
    reason: z.enum(ACCESS_REASON_CODES, { error: 'Select why you need to see this case’s victims' }),
    detail: z
      .string()
      .trim()
      .max(DETAIL_MAX, { error: `Your reason must be ${DETAIL_MAX} characters or fewer` })
      .optional()
      .transform((v) => v || null),
  })
  .superRefine((r, ctx) => {
    if (r.reason === 'other' && !r.detail)
      ctx.addIssue({ code: 'custom', path: ['detail'], message: 'Say why you need to see this case’s victims' })
  })
export type AccessReasonInput = z.output<typeof AccessReasonInput>

export const StatedReasonAnswer = z.object({
  reason: z.enum(ACCESS_REASON_CODES),
  label: z.string().describe('The words recorded as the justification of each look at the case’s victims in this session'),
  statedAt: z.string(),
})

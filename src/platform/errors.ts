import type { z } from 'zod'

export type FieldError = { field: string; message: string }

/**
 * The access policy refused a user an existing case. Set on the NotFound or Forbidden it throws,
 * so the error handler can record the attempt against the case after the request's transaction
 * has rolled back (docs/decisions/0009). Only fixed words: never anything the user typed.
 */
export interface CaseRefusal {
  caseId: string
  /** The policy's name for what was attempted ('view', 'edit_victim', ...). */
  attempted: string
  /** Whether the user has any relation to the case (casework, support or oversight). */
  related: boolean
}

/** The thing does not exist, or the user must not learn that it does. Always a 404. */
export class NotFound extends Error {
  refusal?: CaseRefusal
  constructor() {
    super('Not found')
  }
}

/** The user may know the thing exists but may not do this to it (for example, the wrong role). */
export class Forbidden extends Error {
  refusal?: CaseRefusal
}

/** A rule of the service stops this change; the message is written for the user. */
export class Conflict extends Error {}

export class ValidationFailed extends Error {
  readonly fieldErrors: FieldError[]
  constructor(fieldErrors: FieldError[]) {
    super('There is a problem with the information you gave')
    this.fieldErrors = fieldErrors
  }
}

/** Parses input with a schema, turning every issue into a field error a page or API can show. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  throw new ValidationFailed(
    result.error.issues.map((issue) => ({ field: issue.path.join('.') || 'body', message: issue.message })),
  )
}

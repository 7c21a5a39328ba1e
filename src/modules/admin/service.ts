import { ROLES_BY_KIND } from '../../platform/access/actor.ts'
import { canManageUsers } from '../../platform/access/policy.ts'
import { audit } from '../../platform/audit/audit.ts'
import type { Ctx } from '../../platform/context.ts'
import { type FieldError, Forbidden, parseInput, ValidationFailed } from '../../platform/errors.ts'
import * as queries from './queries.ts'
import { CreateUser } from './schema.ts'

const NOT_ADMIN = 'Only administrators can manage users'

/** Administrators manage the users of their own organisation, and no other. */
export async function listUsers(ctx: Ctx) {
  if (!canManageUsers(ctx.actor)) throw new Forbidden(NOT_ADMIN)
  return ctx.db.transaction(async (tx) => {
    const users = await queries.usersOf(tx, ctx.actor.organisationId, ctx.clock.now())
    await audit.consultation(tx, ctx, {
      action: 'users.listed',
      subject: 'staff list of own organisation',
      justification: 'administrator of the organisation',
    })
    return users
  })
}

export async function userFormOptions(ctx: Ctx) {
  if (!canManageUsers(ctx.actor)) throw new Forbidden(NOT_ADMIN)
  return {
    roles: ROLES_BY_KIND[ctx.actor.organisationKind],
    teams: await queries.teamsOf(ctx.db, ctx.actor.organisationId),
  }
}

export async function createUser(ctx: Ctx, input: unknown): Promise<{ id: string }> {
  if (!canManageUsers(ctx.actor)) throw new Forbidden(NOT_ADMIN)
  const cmd = parseInput(CreateUser, input)
  return ctx.db.transaction(async (tx) => {
    const errors: FieldError[] = []
    const allowed = ROLES_BY_KIND[ctx.actor.organisationKind]
    if (cmd.roles.some((r) => !allowed.includes(r))) {
      errors.push({ field: 'roles', message: 'Select only roles that people in your organisation can hold' })
    }
    const teams = await queries.teamsOf(tx, ctx.actor.organisationId)
    if (cmd.teamId && !teams.some((t) => t.id === cmd.teamId)) {
      errors.push({ field: 'teamId', message: 'Select a team from your organisation' })
    }
    if (await queries.usernameTaken(tx, cmd.username)) {
      errors.push({ field: 'username', message: 'This username is already in use: choose another' })
    }
    if (errors.length > 0) throw new ValidationFailed(errors)
    const id = await queries.insertUser(tx, ctx.actor.organisationId, cmd)
    await audit.alteration(tx, ctx, {
      action: 'user.created',
      subject: 'staff account',
      details: { userId: id, roles: cmd.roles },
    })
    return { id }
  })
}

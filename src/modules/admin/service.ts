import type { Sql } from '../../db/client.ts'
import { ROLES_BY_KIND } from '../../platform/access/actor.ts'
import { canManageUsers } from '../../platform/access/policy.ts'
import { audit } from '../../platform/audit/audit.ts'
import type { Ctx } from '../../platform/context.ts'
import { Conflict, type FieldError, Forbidden, NotFound, parseInput, ValidationFailed } from '../../platform/errors.ts'
import * as queries from './queries.ts'
import { ACCOUNT_ACTIONS, type AccountAction, CreateUser, UpdateUser } from './schema.ts'

/** Administrators manage the users of their own organisation, and no other. */

const NOT_ADMIN = 'Only administrators can manage users'
const JUSTIFICATION = 'administrator of the organisation'

function requireAdmin(ctx: Ctx) {
  if (!canManageUsers(ctx.actor)) throw new Forbidden(NOT_ADMIN, 'administrator_only')
}

export async function listUsers(ctx: Ctx) {
  requireAdmin(ctx)
  return ctx.db.transaction(async (tx) => {
    const users = await queries.usersOf(tx, ctx.actor.organisationId, ctx.clock.now())
    await audit.consultation(tx, ctx, {
      action: 'users.listed',
      subject: 'staff list of own organisation',
      justification: JUSTIFICATION,
    })
    return users
  })
}

/** The organisation's system clients (docs/decisions/0011), shown apart from its people. */
export async function listSystemClients(ctx: Ctx) {
  requireAdmin(ctx)
  return queries.systemClientsOf(ctx.db, ctx.actor.organisationId)
}

/**
 * Disables a system client: its tokens are revoked at once, so its next request is a 401. The
 * CLI creates system clients and their tokens; the pages only stop one.
 */
export async function disableSystemClient(ctx: Ctx, id: string): Promise<void> {
  requireAdmin(ctx)
  await ctx.db.transaction(async (tx) => {
    const client = await queries.systemClientOf(tx, ctx.actor.organisationId, id)
    if (!client) throw new NotFound()
    if (client.disabled) return
    await queries.setAccountState(tx, client.id, 'disable', ctx.clock.now())
    await audit.alteration(tx, ctx, {
      action: 'system_client.disabled',
      subject: 'system client account',
      details: { userId: client.id },
    })
  })
}

export async function viewUser(ctx: Ctx, userId: string) {
  requireAdmin(ctx)
  const user = await queries.userOf(ctx.db, ctx.actor.organisationId, userId, ctx.clock.now())
  if (!user) throw new NotFound()
  return user
}

export async function userFormOptions(ctx: Ctx) {
  requireAdmin(ctx)
  return {
    roles: ROLES_BY_KIND[ctx.actor.organisationKind],
    teams: await queries.teamsOf(ctx.db, ctx.actor.organisationId),
  }
}

/** Roles must suit the kind of organisation, and a team must be the organisation's own. */
async function organisationRules(tx: Sql, ctx: Ctx, cmd: UpdateUser): Promise<FieldError[]> {
  const errors: FieldError[] = []
  const allowed = ROLES_BY_KIND[ctx.actor.organisationKind]
  if (cmd.roles.some((r) => !allowed.includes(r))) {
    errors.push({ field: 'roles', message: 'Select only roles that people in your organisation can hold' })
  }
  const teams = await queries.teamsOf(tx, ctx.actor.organisationId)
  if (cmd.teamId && !teams.some((t) => t.id === cmd.teamId)) {
    errors.push({ field: 'teamId', message: 'Select a team from your organisation' })
  }
  return errors
}

export async function createUser(ctx: Ctx, input: unknown): Promise<{ id: string }> {
  requireAdmin(ctx)
  const cmd = parseInput(CreateUser, input)
  return ctx.db.transaction(async (tx) => {
    const errors = await organisationRules(tx, ctx, cmd)
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

export async function updateUser(ctx: Ctx, userId: string, input: unknown): Promise<void> {
  requireAdmin(ctx)
  const cmd = parseInput(UpdateUser, input)
  await ctx.db.transaction(async (tx) => {
    const user = await queries.userOf(tx, ctx.actor.organisationId, userId, ctx.clock.now())
    if (!user) throw new NotFound()
    const errors = await organisationRules(tx, ctx, cmd)
    if (user.id === ctx.actor.id && !cmd.roles.includes('administrator')) {
      errors.push({ field: 'roles', message: 'You cannot remove your own administrator role: ask another administrator' })
    }
    if (errors.length > 0) throw new ValidationFailed(errors)
    await queries.updateUser(tx, user.id, cmd)
    await audit.alteration(tx, ctx, {
      action: 'user.updated',
      subject: 'staff account',
      details: { userId: user.id, roles: cmd.roles, teamId: cmd.teamId },
    })
  })
}

export async function changeAccount(ctx: Ctx, userId: string, action: string): Promise<AccountAction> {
  requireAdmin(ctx)
  const chosen = ACCOUNT_ACTIONS.find((a) => a === action)
  if (!chosen) throw new NotFound()
  await ctx.db.transaction(async (tx) => {
    const user = await queries.userOf(tx, ctx.actor.organisationId, userId, ctx.clock.now())
    if (!user) throw new NotFound()
    if (chosen === 'disable' && user.id === ctx.actor.id) throw new Conflict('You cannot disable your own account')
    await queries.setAccountState(tx, user.id, chosen, ctx.clock.now())
    await audit.alteration(tx, ctx, {
      action: 'user.updated',
      subject: 'staff account',
      details: { userId: user.id, account: chosen },
    })
  })
  return chosen
}

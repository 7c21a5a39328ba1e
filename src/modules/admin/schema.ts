import { z } from 'zod'
import { ROLES } from '../../platform/access/actor.ts'

export const Username = z
  .string({ error: 'Enter a username' })
  .trim()
  .toLowerCase()
  .min(3, 'Username must be 3 characters or more')
  .max(60, 'Username must be 60 characters or fewer')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'Username can only include letters, numbers, full stops, hyphens and underscores')

export const Password = z
  .string({ error: 'Enter a password' })
  .min(12, 'Password must be 12 characters or more')
  .max(200, 'Password must be 200 characters or fewer')

export const CreateUser = z.object({
  username: Username,
  displayName: z.string({ error: 'Enter the person’s full name' }).trim().min(1, 'Enter the person’s full name').max(120),
  email: z.email({ error: 'Enter an email address in the correct format, like name@example.org' }),
  phone: z
    .string({ error: 'Enter a direct phone number' })
    .trim()
    .regex(/^\+?[0-9 ()-]{10,20}$/, 'Enter a direct phone number, like 01632 960 001'),
  roles: z
    .array(z.enum(ROLES, { error: 'Select a role from the list' }), { error: 'Select at least one role' })
    .min(1, 'Select at least one role'),
  teamId: z.uuid({ error: 'Select a team from the list' }).nullable().default(null),
  password: Password,
})
export type CreateUser = z.infer<typeof CreateUser>

export const UpdateUser = CreateUser.omit({ username: true, password: true })
export type UpdateUser = z.infer<typeof UpdateUser>

export const ACCOUNT_ACTIONS = ['unlock', 'disable', 'enable'] as const
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number]

export const UserSummary = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  email: z.string(),
  phone: z.string(),
  roles: z.array(z.enum(ROLES)),
  teamId: z.uuid().nullable(),
  team: z.string().nullable(),
  locked: z.boolean(),
  disabled: z.boolean(),
})
export type UserSummary = z.infer<typeof UserSummary>

export const SystemClientSummary = z.object({
  id: z.uuid(),
  name: z.string(),
  roles: z.array(z.enum(ROLES)),
  disabled: z.boolean(),
  /** API tokens not revoked. */
  tokens: z.number().int(),
})
export type SystemClientSummary = z.infer<typeof SystemClientSummary>

/** A system client as the CLI creates it (docs/decisions/0011). */
export const CreateSystemClient = z.object({
  name: z
    .string({ error: 'Enter the system’s name, like "Northvale records management"' })
    .trim()
    .min(1, 'Enter the system’s name, like "Northvale records management"')
    .max(120, 'Name must be 120 characters or fewer'),
  roles: z
    .array(z.enum(ROLES, { error: 'Name roles from the list' }), { error: 'Name at least one role' })
    .min(1, 'Name at least one role'),
})
export type CreateSystemClient = z.infer<typeof CreateSystemClient>

export const TeamInput = z.object({
  name: z
    .string({ error: 'Enter the team’s name' })
    .trim()
    .min(1, 'Enter the team’s name')
    .max(120, 'Team name must be 120 characters or fewer'),
  leadId: z.uuid({ error: 'Select a lead from the list' }).nullable().default(null),
})
export type TeamInput = z.infer<typeof TeamInput>

import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import type { Db } from '../db/client.ts'
import { isUuid } from '../db/client.ts'
import {
  insertOrganisation,
  insertSystemClient,
  insertUser,
  systemClientNameTaken,
  usernameTaken,
} from '../modules/admin/queries.ts'
import { CreateSystemClient, CreateUser } from '../modules/admin/schema.ts'
import { ORGANISATION_KINDS, type OrganisationKind, ROLES_BY_KIND, type Role } from '../platform/access/actor.ts'
import { type AnchorStore, checkpointer } from '../platform/audit/anchor.ts'
import { appendAudit } from '../platform/audit/audit.ts'
import { sealAudit } from '../platform/audit/sealer.ts'
import { SEAL_GRACE_MINUTES, verifyAuditChain } from '../platform/audit/verify.ts'
import { newSecret } from '../platform/auth/tokens.ts'
import type { Clock } from '../platform/clock.ts'
import { parseInput, ValidationFailed } from '../platform/errors.ts'

export const USAGE = `Usage: npm run cli -- <command>

  org create --kind police_force|cps_area|support_service --name NAME [--force-code NN]
  org serve --org FORCE --cps-area AREA
      names the CPS Area a police force sends early advice requests and charging referrals to
  admin create --org NAME --username USER --name "FULL NAME" --email EMAIL --phone PHONE
      creates an administrator and prints a one-time password
  system create --org ORGANISATION --name "NAME" --roles ROLE[,ROLE...]
      creates a system client: another system of the organisation (named or given by id) that
      calls the API under its own name, acting with the roles given; it never signs in to the pages
  token create --user USER [--label TEXT]
      creates an API bearer token for the person USER and prints it once
  token create --system "NAME" [--label TEXT]
      creates an API bearer token for the system client NAME and prints it once
  audit verify [--grace-minutes N]
      checks the whole audit log's hash chain, and that the row named by the latest signed
      checkpoint in AUDIT_ANCHOR_DIR is there with that hash; exits 1 naming the first bad row
      or checkpoint, or a row left unsealed for more than N minutes (default ${SEAL_GRACE_MINUTES})
  audit seal
      chains the rows written since the last sweep now, rather than at the next sweep, and
      writes a checkpoint of the new end of the chain to AUDIT_ANCHOR_DIR`

async function anchorsOrSay(anchors: () => Promise<AnchorStore>, io: CliIo): Promise<AnchorStore | null> {
  try {
    return await anchors()
  } catch (err) {
    io.err((err as Error).message)
    return null
  }
}

export interface CliIo {
  out: (line: string) => void
  err: (line: string) => void
}

/**
 * Runs one command and returns the exit code; kept apart from cli.ts so tests run it on a test
 * database. `anchors` gives where the audit chain's checkpoints are and their key; it is asked
 * only by the audit commands, so the others run without AUDIT_ANCHOR_KEY.
 */
export async function runCli(
  argv: string[],
  db: Db,
  clock: Clock,
  io: CliIo,
  anchors?: () => Promise<AnchorStore>,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      kind: { type: 'string' },
      name: { type: 'string' },
      'force-code': { type: 'string' },
      org: { type: 'string' },
      username: { type: 'string' },
      email: { type: 'string' },
      phone: { type: 'string' },
      user: { type: 'string' },
      system: { type: 'string' },
      roles: { type: 'string' },
      label: { type: 'string' },
      'cps-area': { type: 'string' },
      'grace-minutes': { type: 'string' },
    },
  })
  const command = positionals.join(' ')
  try {
    switch (command) {
      case 'org create': {
        const o = parseInput(
          z.object({
            kind: z.enum(ORGANISATION_KINDS),
            name: z.string().min(1),
            'force-code': z
              .string()
              .regex(/^\d{2}$/, 'must be two digits')
              .optional(),
          }),
          values,
        )
        const id = await insertOrganisation(db, { kind: o.kind, name: o.name, forceCode: o['force-code'] })
        io.out(`Created ${o.kind.replace('_', ' ')} "${o.name}" (${id})`)
        return 0
      }
      case 'org serve': {
        const byName = (name: string | undefined) =>
          db.query<{ id: string; kind: string }>('SELECT id, kind FROM organisations WHERE name = $1', [name ?? ''])
        const [force] = await byName(values.org)
        const [area] = await byName(values['cps-area'])
        if (force?.kind !== 'police_force' || area?.kind !== 'cps_area') {
          io.err(
            force?.kind === 'police_force'
              ? `No CPS Area is named "${values['cps-area'] ?? ''}"`
              : `No police force is named "${values.org ?? ''}"`,
          )
          return 1
        }
        await db.query('UPDATE organisations SET cps_area_id = $2 WHERE id = $1', [force.id, area.id])
        io.out(`"${values.org}" now sends early advice requests and charging referrals to "${values['cps-area']}"`)
        return 0
      }
      case 'admin create': {
        const [org] = await db.query<{ id: string }>('SELECT id FROM organisations WHERE name = $1', [values.org ?? ''])
        if (!org) {
          io.err(`No organisation is named "${values.org ?? ''}". Create it first with: npm run cli -- org create`)
          return 1
        }
        const password = randomBytes(18).toString('base64url')
        const user = parseInput(CreateUser, {
          username: values.username,
          displayName: values.name,
          email: values.email,
          phone: values.phone,
          roles: ['administrator'],
          password,
        })
        const id = await db.transaction(async (tx) => {
          if (await usernameTaken(tx, user.username)) {
            throw new ValidationFailed([{ field: 'username', message: 'This username is already in use' }])
          }
          const userId = await insertUser(tx, org.id, user)
          await appendAudit(tx, {
            at: clock.now(),
            actorId: null,
            action: 'administrator.created',
            details: { userId, via: 'cli' },
          })
          return userId
        })
        io.out(`Created administrator ${user.username} (${id}).`)
        io.out(`One-time password (shown once, give it to them securely): ${password}`)
        return 0
      }
      case 'system create': {
        const [org] = await db.query<{ id: string; kind: OrganisationKind }>(
          `SELECT id, kind FROM organisations WHERE ${isUuid(values.org ?? '') ? 'id = $1::uuid' : 'name = $1'}`,
          [values.org ?? ''],
        )
        if (!org) {
          io.err(`No organisation is named "${values.org ?? ''}". Create it first with: npm run cli -- org create`)
          return 1
        }
        const client = parseInput(CreateSystemClient, {
          name: values.name,
          roles: values.roles
            ?.split(',')
            .map((r) => r.trim())
            .filter(Boolean),
        })
        // As for a person: only the roles of the organisation's kind. Not administrator, whose
        // work is done only on the pages, where a system client never signs in.
        const allowed: readonly Role[] = ROLES_BY_KIND[org.kind].filter((r) => r !== 'administrator')
        const wrong = client.roles.filter((r) => !allowed.includes(r))
        if (wrong.length > 0) {
          throw new ValidationFailed([
            { field: 'roles', message: `A system client of this organisation can act only as ${allowed.join(', ')}` },
          ])
        }
        const id = await db.transaction(async (tx) => {
          if (await systemClientNameTaken(tx, client.name)) {
            throw new ValidationFailed([{ field: 'name', message: 'A system client already has this name' }])
          }
          const clientId = await insertSystemClient(tx, org.id, client)
          await appendAudit(tx, {
            at: clock.now(),
            actorId: null,
            action: 'system_client.created',
            subject: 'system client account',
            details: { kind: 'alteration', via: 'cli', userId: clientId, organisationId: org.id, roles: client.roles },
          })
          return clientId
        })
        io.out(
          `Created system client "${client.name}" (${id}). Give it a token with: npm run cli -- token create --system "${client.name}"`,
        )
        return 0
      }
      case 'token create': {
        if ((values.user === undefined) === (values.system === undefined)) {
          io.err('Name either a person with --user USERNAME or a system client with --system "NAME".')
          return 2
        }
        // A person's token is theirs and a system's its own: each flag finds only its kind, so a
        // system's token can never be made in a person's name, nor the other way round.
        const [user] =
          values.system === undefined
            ? await db.query<{ id: string; system_client: boolean }>(
                'SELECT id, system_client FROM users WHERE username = $1 AND disabled_at IS NULL',
                [(values.user ?? '').toLowerCase()],
              )
            : await db.query<{ id: string; system_client: boolean }>(
                'SELECT id, system_client FROM users WHERE lower(display_name) = lower($1) AND system_client AND disabled_at IS NULL',
                [values.system.trim()],
              )
        if (values.system === undefined && user?.system_client) {
          io.err(`"${values.user}" is a system client: use --system "NAME" to give it a token.`)
          return 1
        }
        if (!user) {
          if (values.system !== undefined) {
            const [person] = await db.query('SELECT 1 FROM users WHERE username = $1 AND NOT system_client', [
              values.system.trim().toLowerCase(),
            ])
            io.err(
              person
                ? `"${values.system}" is a person: use --user USERNAME to give them a token.`
                : `No active system client is named "${values.system}".`,
            )
          } else {
            io.err(`No active user is named "${values.user ?? ''}".`)
          }
          return 1
        }
        const { token, hash } = newSecret()
        await db.transaction(async (tx) => {
          const [row] = await tx.query<{ id: string }>(
            'INSERT INTO api_tokens (user_id, token_hash, label, created_at) VALUES ($1, $2, $3, $4) RETURNING id',
            [user.id, hash, values.label ?? (user.system_client ? 'system client' : 'personal'), clock.now()],
          )
          await appendAudit(tx, {
            at: clock.now(),
            actorId: null,
            action: 'api_token.created',
            details: { userId: user.id, tokenId: row.id, via: 'cli', systemClient: user.system_client },
          })
        })
        io.out('API token (shown once; keep it in the client’s secret store):')
        io.out(token)
        return 0
      }
      case 'audit verify': {
        const { 'grace-minutes': graceMinutes } = parseInput(
          z.object({ 'grace-minutes': z.coerce.number().int().positive().default(SEAL_GRACE_MINUTES) }),
          values,
        )
        const store = anchors ? await anchorsOrSay(anchors, io) : undefined
        if (store === null) return 2
        const report = await verifyAuditChain(db, { now: clock.now(), graceMinutes, anchors: store })
        if (report.ok) {
          io.out(`Audit log intact: ${report.rows} rows verified.`)
          if (report.unsealed > 0) io.out(`${report.unsealed} rows from the last few minutes are not sealed yet.`)
          if (report.checkpoint.state === 'matched') {
            io.out(
              `It matches the latest checkpoint written outside the database (row ${report.checkpoint.lastId}, ${report.checkpoint.at}).`,
            )
          } else if (report.checkpoint.state === 'none') {
            io.out(
              `No checkpoint has been written outside the database yet (${store?.dir}): until the sweeper writes one, this check cannot show rows cut from the end of a rewritten chain.`,
            )
          }
          return 0
        }
        io.err(
          report.badRowId === null
            ? `Audit log BROKEN: ${report.reason}.`
            : `Audit log BROKEN at row ${report.badRowId}: ${report.reason}. ${report.rows} rows before it verified.`,
        )
        return 1
      }
      case 'audit seal': {
        // Waits for the transactions running now to end; a long one (a migration, a bulk load) may take a while.
        const { sealed, settled } = await sealAudit(db, { waitMs: 60_000 })
        if (!settled) {
          io.err('Nothing sealed: a transaction that may hold audit rows was still running after a minute. Try again.')
          return 1
        }
        io.out(`Sealed ${sealed} audit rows.`)
        if (anchors) {
          const store = await anchorsOrSay(anchors, io)
          if (store === null) return 2
          const written = await checkpointer(async () => store, 0)(db, clock.now())
          if (written) io.out(`Checkpoint of row ${written.lastId} written to ${store.dir}.`)
        }
        return 0
      }
      default:
        io.err(USAGE)
        return 2
    }
  } catch (err) {
    if (err instanceof ValidationFailed) {
      for (const e of err.fieldErrors) io.err(`--${e.field}: ${e.message}`)
      return 2
    }
    throw err
  }
}

import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { z } from 'zod'

const minutes = z.coerce.number().int().positive()

/** Every setting comes from the environment; the README's configuration table mirrors this schema. */
const Env = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  DEMO_PASSWORD: z.string().min(8).default('casebridge-demo'),
  COOKIE_SECRET: z.string().min(32).optional(),
  SESSION_IDLE_MINUTES: minutes.default(30),
  SESSION_WARNING_MINUTES: minutes.default(5),
  LOCKOUT_THRESHOLD: z.coerce.number().int().positive().default(5),
  LOCKOUT_MINUTES: minutes.default(15),
  COOKIE_SECURE: z.enum(['true', 'false']).optional(),
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SWEEP_SECONDS: z.coerce.number().int().positive().default(60),
  EARLY_ADVICE_DAYS: z.coerce.number().int().positive().default(21),
  CHARGING_DECISION_DAYS: z.coerce.number().int().positive().default(28),
  ADMIN_FINALISE_MONTHS: z.coerce.number().int().positive().default(3),
  AUDIT_ANCHOR_DIR: z.string().min(1).optional(),
  AUDIT_ANCHOR_KEY: z.string().min(32).optional(),
  AUDIT_ANCHOR_MINUTES: z.coerce.number().int().min(0).default(0),
})

export type Config = {
  host: string
  port: number
  databaseUrl: string | undefined
  dataDir: string
  demoPassword: string
  cookieSecret: string
  cookieSecure: boolean
  sessionIdleMinutes: number
  sessionWarningMinutes: number
  lockoutThreshold: number
  lockoutMinutes: number
  trustProxy: boolean
  logLevel: z.infer<typeof Env>['LOG_LEVEL']
  /** How often each instance sweeps deadlines and delivers notifications. */
  sweepSeconds: number
  /** CPS adult-rape operating model: early advice within 21 days of the request. */
  earlyAdviceDays: number
  /** The CPS's own target from receipt of a charging file to a decision (calendar days). */
  chargingDecisionDays: number
  /** Months after the latest target date of a plan's unanswered actions before the CPS may admin finalise. */
  adminFinaliseMonths: number
  /** Where signed checkpoints of the audit chain's head are appended: storage the database's administrators cannot write. */
  auditAnchorDir: string
  /** Signs the checkpoints. Required with a database server; the embedded demo keeps one in DATA_DIR (audit/anchor.ts). */
  auditAnchorKey: string | undefined
  /** At most one checkpoint per this many minutes; 0 writes one after every sealing round that moved the head. */
  auditAnchorMinutes: number
}

export function loadConfig(env: Record<string, string | undefined> = process.env, opts = { server: true }): Config {
  const parsed = Env.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')
    throw new Error(`Invalid configuration:\n${problems}`)
  }
  const e = parsed.data
  // Several app instances behind one database must share the cookie secret, so a server
  // deployment has to set it; the embedded demo can make one up at each start.
  // The audit chain's checkpoints must be checkable after a restart, on any instance, so their key
  // cannot be made up at each start either.
  const missing = [
    ...(opts.server && e.DATABASE_URL && !e.COOKIE_SECRET ? ['COOKIE_SECRET'] : []),
    ...(opts.server && e.DATABASE_URL && !e.AUDIT_ANCHOR_KEY ? ['AUDIT_ANCHOR_KEY'] : []),
  ]
  if (missing.length > 0) {
    throw new Error(
      `Invalid configuration:\n${missing.map((name) => `  ${name}: required (32+ characters) when DATABASE_URL is set`).join('\n')}`,
    )
  }
  const dataDir = path.resolve(e.DATA_DIR)
  return {
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    demoPassword: e.DEMO_PASSWORD,
    cookieSecret: e.COOKIE_SECRET ?? randomBytes(32).toString('hex'),
    // A server deployment sits behind TLS; the embedded demo is served over plain http on loopback.
    cookieSecure: e.COOKIE_SECURE ? e.COOKIE_SECURE === 'true' : Boolean(e.DATABASE_URL),
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionWarningMinutes: e.SESSION_WARNING_MINUTES,
    lockoutThreshold: e.LOCKOUT_THRESHOLD,
    lockoutMinutes: e.LOCKOUT_MINUTES,
    trustProxy: e.TRUST_PROXY === 'true',
    logLevel: e.LOG_LEVEL,
    sweepSeconds: e.SWEEP_SECONDS,
    earlyAdviceDays: e.EARLY_ADVICE_DAYS,
    chargingDecisionDays: e.CHARGING_DECISION_DAYS,
    adminFinaliseMonths: e.ADMIN_FINALISE_MONTHS,
    auditAnchorDir: e.AUDIT_ANCHOR_DIR ? path.resolve(e.AUDIT_ANCHOR_DIR) : path.join(dataDir, 'audit-anchors'),
    auditAnchorKey: e.AUDIT_ANCHOR_KEY,
    auditAnchorMinutes: e.AUDIT_ANCHOR_MINUTES,
  }
}

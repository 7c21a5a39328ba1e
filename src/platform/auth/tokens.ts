import { createHash, randomBytes } from 'node:crypto'

/** A random secret for a cookie or bearer token, and the only form of it we store. */
export function newSecret(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url')
  return { token, hash: hashSecret(token) }
}

// The secrets are 256 random bits, so a fast hash is enough: there is nothing to brute-force.
export function hashSecret(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

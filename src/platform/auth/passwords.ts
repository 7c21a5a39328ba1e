import { Algorithm, hash, verify } from '@node-rs/argon2'

// OWASP's argon2id minimum: 19 MiB, 2 iterations, 1 lane.
const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 }

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS)
}

// Checked when the username is unknown, so a wrong username takes as long as a wrong password.
const UNKNOWN_USER_HASH = hash('no such user', OPTIONS)

export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (storedHash === null) {
    await verify(await UNKNOWN_USER_HASH, password)
    return false
  }
  return verify(storedHash, password)
}

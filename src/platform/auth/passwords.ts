import { hash, verify } from '@node-rs/argon2'

// argon2id (the library's default algorithm) with OWASP's second recommended profile: 19 MiB, 2 passes.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 }

export const MINIMUM_PASSWORD_LENGTH = 12
/** ASVS 2.1.2: at least 64 characters are allowed; more than 128 are refused. */
export const MAXIMUM_PASSWORD_LENGTH = 128

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS)
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

/** Verified against when the email is unknown, so a wrong email costs as long as a wrong password. */
let decoy: Promise<string> | undefined
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword('decoy password that matches nothing')
  return decoy
}

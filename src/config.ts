import { createHash } from 'node:crypto'
import path from 'node:path'

export interface Config {
  env: 'development' | 'test' | 'production'
  port: number
  host: string
  /** Folder for the embedded database's files (ignored when databaseUrl is set). */
  dataDir: string
  databaseUrl: string | undefined
  logLevel: string
  /** Demonstration organisations and accounts are loaded, and shown on the sign-in page, only outside production. */
  demoData: boolean
  /** Behind a proxy that sets X-Forwarded-For (production). */
  trustProxy: boolean
  /** Background jobs (session sweeps, later reminders and notifications). */
  jobs: boolean
  /** Re-read templates on every request, for `npm run dev`; otherwise each is compiled once. */
  watchTemplates: boolean
  /** Administrators, duty managers and team managers must use a second factor (MFA_REQUIRED). */
  mfaRequired: boolean
  /** AES-256-GCM key for TOTP secrets at rest (MFA_KEY, 32 bytes in base64). */
  mfaKey: Buffer
  /** True when no MFA_KEY was given and a fixed development key is in use: logged as a warning. */
  mfaKeyIsDevelopmentKey: boolean
  /** Single sign-on through one organisation's OpenID Connect provider, when configured. */
  oidc: OidcConfig | undefined
}

export interface OidcConfig {
  issuer: string
  clientId: string
  clientSecret: string
  /** Our callback, registered with the provider: https://<host>/sign-in/oidc/callback */
  redirectUri: string
  /** The authority whose accounts the provider signs in; an email from elsewhere is refused. */
  tenantId: string
  /** Shown on the button: "Sign in with your <label> account". */
  label: string
}

/** A fixed key, for development and tests only: secrets encrypted with it are not protected. */
const DEVELOPMENT_MFA_KEY = createHash('sha256').update('early-help development MFA key, not for production').digest()

export class ConfigError extends Error {}

/** Reads settings from the environment. A setting production needs fails fast when missing. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development'
  const port = Number(env.PORT ?? 3000)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number, not "${env.PORT}"`)
  const databaseUrl = env.DATABASE_URL || undefined
  if (nodeEnv === 'production' && !databaseUrl) {
    throw new ConfigError('DATABASE_URL is required in production: the embedded database is for development and demonstration')
  }
  const mfaKey = env.MFA_KEY ? Buffer.from(env.MFA_KEY, 'base64') : undefined
  if (mfaKey && mfaKey.length !== 32) throw new ConfigError('MFA_KEY must be 32 random bytes in base64, for example from `openssl rand -base64 32`')
  if (nodeEnv === 'production' && !mfaKey) {
    throw new ConfigError('MFA_KEY is required in production: it encrypts the secrets behind multi-factor authentication')
  }
  if (env.MFA_REQUIRED !== undefined && env.MFA_REQUIRED !== 'true' && env.MFA_REQUIRED !== 'false') {
    throw new ConfigError(`MFA_REQUIRED must be true or false, not "${env.MFA_REQUIRED}"`)
  }
  return {
    env: nodeEnv,
    port,
    host: env.HOST ?? (nodeEnv === 'production' ? '0.0.0.0' : 'localhost'),
    dataDir: path.resolve(env.DATA_DIR ?? 'data/pglite'),
    databaseUrl,
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    demoData: nodeEnv !== 'production' && env.DEMO_DATA !== 'false',
    trustProxy: env.TRUST_PROXY === 'true',
    jobs: env.JOBS !== 'false',
    watchTemplates: env.WATCH_TEMPLATES === 'true',
    mfaRequired: env.MFA_REQUIRED ? env.MFA_REQUIRED === 'true' : nodeEnv === 'production',
    mfaKey: mfaKey ?? DEVELOPMENT_MFA_KEY,
    mfaKeyIsDevelopmentKey: !mfaKey,
    oidc: readOidc(env, nodeEnv),
  }
}

function readOidc(env: NodeJS.ProcessEnv, nodeEnv: Config['env']): OidcConfig | undefined {
  const names = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URI', 'OIDC_TENANT'] as const
  const given = names.filter((name) => env[name])
  if (given.length === 0) return undefined
  const missing = names.filter((name) => !env[name])
  if (missing.length) throw new ConfigError(`Single sign-on needs ${missing.join(', ')} as well as ${given.join(', ')}`)
  for (const name of ['OIDC_ISSUER', 'OIDC_REDIRECT_URI'] as const) {
    let url: URL
    try {
      url = new URL(env[name] as string)
    } catch {
      throw new ConfigError(`${name} must be a URL, not "${env[name]}"`)
    }
    if (nodeEnv === 'production' && url.protocol !== 'https:') throw new ConfigError(`${name} must use https in production`)
  }
  return {
    issuer: env.OIDC_ISSUER as string,
    clientId: env.OIDC_CLIENT_ID as string,
    clientSecret: env.OIDC_CLIENT_SECRET as string,
    redirectUri: env.OIDC_REDIRECT_URI as string,
    tenantId: env.OIDC_TENANT as string,
    label: env.OIDC_LABEL || 'organisation’s',
  }
}

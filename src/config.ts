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
}

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
  }
}

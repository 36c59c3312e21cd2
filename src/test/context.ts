import { randomUUID } from 'node:crypto'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { buildApp } from '../app.ts'
import { readConfig, type Config } from '../config.ts'
import { DEMO_PASSWORD, loadDemoData } from '../demo/demo-data.ts'
import { loadDemoDirectory } from '../demo/demo-directory.ts'
import { hashPassword } from '../platform/auth/passwords.ts'
import { migrate, openDatabase, type Database } from '../platform/db/database.ts'
import { loadReferenceData } from '../platform/db/reference-data.ts'
import type { OrganisationKind, Role } from '../platform/db/schema.ts'
import { CSRF_COOKIE, SESSION_COOKIE } from '../platform/http/cookies.ts'
import { tokenFor } from '../platform/http/csrf.ts'

/**
 * A real app over a real, empty database for one test file: PGlite in memory by default, or a fresh
 * database on the PostgreSQL server named by DATABASE_URL (dropped again at the end).
 */
export interface TestContext {
  app: FastifyInstance
  db: Database
  config: Config
  newOrganisation(tenantId: string, input?: { name?: string; kind?: OrganisationKind }): Promise<string>
  newAccount(tenantId: string, role: Role, input?: { email?: string; password?: string; organisationId?: string }): Promise<TestAccount>
  /** Signs in through the real form and returns a browser-like agent carrying the cookies. */
  signIn(account: { email: string; password?: string }): Promise<Agent>
  visitor(): Agent
  close(): Promise<void>
}

export interface TestAccount {
  id: string
  email: string
  password: string
  tenantId: string
  role: Role
}

let passwordHash: Promise<string> | undefined
export const TEST_PASSWORD = 'correct horse battery staple'

export async function createTestContext(options: { demoData?: boolean; config?: Partial<Config> } = {}): Promise<TestContext> {
  const serverUrl = process.env.DATABASE_URL
  let databaseUrl: string | undefined
  let dropDatabase: (() => Promise<void>) | undefined
  if (serverUrl) {
    const name = `eh_test_${randomUUID().replaceAll('-', '')}`
    const admin = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: serverUrl, max: 1 }) }) })
    await sql`create database ${sql.id(name)}`.execute(admin)
    const url = new URL(serverUrl)
    url.pathname = `/${name}`
    databaseUrl = url.toString()
    dropDatabase = async () => {
      await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin)
      await admin.destroy()
    }
  }
  const config: Config = { ...readConfig({ NODE_ENV: 'test' }), databaseUrl, demoData: options.demoData ?? false, jobs: false, ...options.config }
  const db = await openDatabase({ databaseUrl, dataDir: 'memory://' })
  await migrate(db)
  await loadReferenceData(db)
  if (options.demoData) {
    await loadDemoData(db)
    await loadDemoDirectory(db)
  }
  const app = await buildApp({ config, db })
  await app.ready()

  const context: TestContext = {
    app,
    db,
    config,
    async newOrganisation(tenantId, input = {}) {
      const row = await db.system
        .insertInto('organisations')
        .values({ tenant_id: tenantId, name: input.name ?? `Organisation ${randomUUID()}`, kind: input.kind ?? 'school' })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    },
    async newAccount(tenantId, role, input = {}) {
      const organisationId = input.organisationId ?? (await context.newOrganisation(tenantId))
      const password = input.password ?? TEST_PASSWORD
      passwordHash ??= hashPassword(TEST_PASSWORD)
      const hash = password === TEST_PASSWORD ? await passwordHash : await hashPassword(password)
      const email = input.email ?? `${role}-${randomUUID().slice(0, 8)}@${tenantId}.test`
      const row = await db.system
        .insertInto('accounts')
        .values({ tenant_id: tenantId, organisation_id: organisationId, email, name: `Test ${role}`, role, password_hash: hash })
        .returning('id')
        .executeTakeFirstOrThrow()
      return { id: row.id, email, password, tenantId, role }
    },
    async signIn(account) {
      const agent = new Agent(app)
      await agent.get('/sign-in')
      const response = await agent.post('/sign-in', { email: account.email, password: account.password ?? TEST_PASSWORD })
      if (response.statusCode !== 303) throw new Error(`sign-in failed for ${account.email}: ${response.statusCode}`)
      return agent
    },
    visitor: () => new Agent(app),
    async close() {
      await app.close()
      await db.close()
      await dropDatabase?.()
    },
  }
  return context
}

export { DEMO_PASSWORD }

/** A cookie jar over fastify.inject that fills in the form token as a browser's form would. */
export class Agent {
  readonly cookies = new Map<string, string>()
  private readonly app: FastifyInstance
  constructor(app: FastifyInstance) {
    this.app = app
  }

  get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.request('GET', url, undefined, headers)
  }

  /** Posts a form; `_csrf` is added from this agent's cookie unless the test sets it. */
  post(url: string, form: Record<string, string | string[]> = {}, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.request('POST', url, { _csrf: this.csrfToken(), ...form }, headers)
  }

  csrfToken(): string {
    const secret = this.cookies.get(CSRF_COOKIE)
    return secret ? tokenFor(secret) : ''
  }

  get sessionToken(): string | undefined {
    return this.cookies.get(SESSION_COOKIE)
  }

  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string | string[]>, headers: Record<string, string> = {}) {
    const body = form ? new URLSearchParams(Object.entries(form).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))).toString() : undefined
    const response = await this.app.inject({
      method,
      url,
      headers: {
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...headers,
      },
      ...(body ? { payload: body } : {}),
    })
    for (const cookie of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = cookie.value === '' || (cookie.expires && cookie.expires.getTime() < Date.now()) || cookie.maxAge === 0
      if (expired) this.cookies.delete(cookie.name)
      else this.cookies.set(cookie.name, cookie.value)
    }
    return response
  }
}


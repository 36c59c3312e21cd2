import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { Kysely, PGliteDialect, PostgresDialect, sql, type Transaction } from 'kysely'
import { Migrator } from 'kysely/migration'
import pg from 'pg'
import type { Logger } from 'pino'
import { migrationProvider } from './migrations/index.ts'
import type { DB } from './schema.ts'

export type Trx = Transaction<DB>

export interface Database {
  /** The owner's connection: migrations, seeding, sessions, sign-in and jobs. Bypasses row-level security. */
  readonly system: Kysely<DB>
  readonly kind: 'pglite' | 'postgres'
  /** The embedded instance, when there is one (jobs share it). */
  readonly pglite: PGlite | undefined
  /**
   * Runs `work` in one transaction as the application role with the tenant set, so PostgreSQL's
   * row-level security confines every statement to that authority, whatever the SQL says.
   */
  asTenant<T>(tenantId: string, work: (trx: Trx) => Promise<T>): Promise<T>
  close(): Promise<void>
}

export interface DatabaseOptions {
  /** A PostgreSQL server; when absent the embedded PGlite is used. */
  databaseUrl?: string | undefined
  /** Folder for PGlite's files; `memory://` keeps everything in memory (tests). */
  dataDir: string
  logger?: Logger | undefined
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 20, types: { getTypeParser: typeParser } })
    // An idle client that loses its server emits 'error'; unhandled, it would end the process.
    pool.on('error', (error) => options.logger?.error({ err: error }, 'database pool error'))
    const system = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
    return makeDatabase(system, 'postgres', undefined)
  }
  const dataDir = options.dataDir.startsWith('memory://') ? options.dataDir : ensureDir(options.dataDir)
  const pglite = await PGlite.create(dataDir, {
    extensions: { pg_trgm },
    startParams: PGLITE_START_PARAMS,
    parsers: { [DATE_OID]: (value: string) => value },
  })
  const system = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) })
  return makeDatabase(system, 'pglite', pglite)
}

/**
 * PGlite's own start parameters (as of 0.5) plus a smaller shared_buffers: its default of 128 MB
 * lives in WebAssembly memory, and 16 MB keeps the server under its 400 MB budget at rest.
 */
const PGLITE_START_PARAMS = [
  '--single', '-F', '-O', '-j',
  '-c', 'search_path=public',
  '-c', 'exit_on_error=false',
  '-c', 'log_checkpoints=false',
  '-c', 'max_worker_processes=0',
  '-c', 'max_parallel_workers=0',
  '-c', 'max_parallel_workers_per_gather=0',
  '-c', 'io_method=sync',
  '-c', 'max_parallel_maintenance_workers=0',
  '-c', 'shared_buffers=16MB',
]

/**
 * A calendar date (a date of birth, a due date) stays the string PostgreSQL sends, 'YYYY-MM-DD':
 * turned into a Date at local midnight it can shift a day with the time zone.
 */
const DATE_OID = 1082
const typeParser = ((oid: number, format?: 'text' | 'binary') =>
  oid === DATE_OID ? (value: string) => value : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser

function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true })
  return dir
}

function makeDatabase(system: Kysely<DB>, kind: Database['kind'], pglite: PGlite | undefined): Database {
  return {
    system,
    kind,
    pglite,
    asTenant: (tenantId, work) =>
      system.transaction().execute(async (trx) => {
        await sql`set local role eh_app`.execute(trx)
        await sql`select set_config('app.tenant_id', ${tenantId}, true)`.execute(trx)
        return work(trx)
      }),
    close: async () => {
      await system.destroy()
    },
  }
}

export async function migrate(db: Database): Promise<string[]> {
  const migrator = new Migrator({ db: db.system, provider: migrationProvider })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(String(error))
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

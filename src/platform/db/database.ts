import { closeSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import path from 'node:path'
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
    // So does one that loses it while checked out between statements (pg-pool removes its idle
    // listener then): the statement in progress fails, and the pool discards the client on release.
    pool.on('connect', (client) => client.on('error', (error) => options.logger?.warn({ err: error }, 'database connection lost')))
    const system = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
    return makeDatabase(system, 'postgres', undefined)
  }
  const inMemory = options.dataDir.startsWith('memory://')
  const dataDir = inMemory ? options.dataDir : ensureDir(options.dataDir)
  // PGlite does not lock its folder: two processes writing the same files would corrupt them.
  const lock = inMemory ? undefined : lockFolder(dataDir)
  let pglite: PGlite
  try {
    pglite = await PGlite.create(dataDir, {
      extensions: { pg_trgm },
      startParams: PGLITE_START_PARAMS,
      parsers: { [DATE_OID]: (value: string) => value },
    })
  } catch (error) {
    lock?.release()
    throw error
  }
  const system = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) })
  return makeDatabase(system, 'pglite', pglite, lock)
}

/** The lock file in a PGlite folder, holding the id of the process that has the folder open. */
export const LOCK_FILE = '.early-help.lock'

/** Thrown when another live process has the embedded database's folder open. */
export class DatabaseInUseError extends Error {
  readonly pid: number
  constructor(dataDir: string, pid: number) {
    const relative = path.relative(process.cwd(), dataDir)
    const shown = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : dataDir
    super(`The database folder ${shown} is in use by another Early help process (pid ${pid}). Stop it first, or set DATA_DIR to another folder.`)
    this.name = 'DatabaseInUseError'
    this.pid = pid
  }
}

interface FolderLock {
  release(): void
}

/** Lock files this process holds, removed on exit if the database was not closed. */
const heldLocks = new Set<string>()
let exitHook = false

function pidAlive(pid: number): boolean {
  // A lock naming this process that this process does not hold is left from an earlier run (a
  // container restarted with the same process id).
  if (pid === process.pid) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

/**
 * Takes `<dataDir>/.early-help.lock`, created exclusively with this process's id. A lock whose
 * process is still alive refuses the open; one left by a process that died (a crash, SIGKILL) is
 * taken over. A stale lock is moved aside before the new one is made, so that of two processes
 * taking it over at once only one succeeds.
 */
function lockFolder(dataDir: string): FolderLock {
  const file = path.join(dataDir, LOCK_FILE)
  if (heldLocks.has(file)) throw new DatabaseInUseError(dataDir, process.pid)
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600)
      try {
        writeSync(fd, `${process.pid}\n`)
      } finally {
        closeSync(fd)
      }
      heldLocks.add(file)
      if (!exitHook) {
        exitHook = true
        process.on('exit', () => {
          for (const held of heldLocks) removeLock(held)
        })
      }
      return {
        release() {
          if (heldLocks.delete(file)) removeLock(file)
        },
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const pid = readPid(file)
    if (pid !== undefined && pidAlive(pid)) throw new DatabaseInUseError(dataDir, pid)
    if (pid === undefined && attempt === 0) {
      // Being written by a process starting this moment, or empty after a crash: look again.
      sleepSync(50)
      continue
    }
    // Stale: move it aside; if what was moved is not the stale lock, someone else just took
    // the folder, so put theirs back and look again.
    const aside = `${file}.${process.pid}.stale`
    try {
      renameSync(file, aside)
    } catch {
      continue
    }
    const moved = readPid(aside)
    if (moved !== pid && moved !== undefined && pidAlive(moved)) {
      try {
        renameSync(aside, file)
      } catch {
        // Nothing more to do: the next attempt reads whatever is there.
      }
      continue
    }
    try {
      unlinkSync(aside)
    } catch {
      // Already gone.
    }
  }
  throw new Error(`Could not lock the database folder ${dataDir}: its lock file ${LOCK_FILE} keeps changing`)
}

/** Removes a lock file this process wrote, and only that. */
function removeLock(file: string): void {
  if (readPid(file) !== process.pid) return
  try {
    unlinkSync(file)
  } catch {
    // Already gone.
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
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

function makeDatabase(system: Kysely<DB>, kind: Database['kind'], pglite: PGlite | undefined, lock?: FolderLock): Database {
  return {
    system,
    kind,
    pglite,
    asTenant: (tenantId, work) =>
      system.transaction().execute(async (trx) => {
        // One statement for both: `set_config('role', …, true)` is `set local role`.
        await sql`select set_config('role', 'eh_app', true), set_config('app.tenant_id', ${tenantId}, true)`.execute(trx)
        return work(trx)
      }),
    close: async () => {
      try {
        await system.destroy()
      } finally {
        lock?.release()
      }
    },
  }
}

export async function migrate(db: Database): Promise<string[]> {
  const migrator = new Migrator({ db: db.system, provider: migrationProvider })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(String(error))
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

import { parseArgs } from 'node:util'
import cliProgress from 'cli-progress'
import { readConfig } from '../../../config.ts'
import { migrate, openDatabase, type Database } from '../../../platform/db/database.ts'
import { loadReferenceData } from '../../../platform/db/reference-data.ts'
import { exportServices, exportTaxonomies, importServices, readImport, writeCsvFolder, type ImportReport } from './transfer.ts'
import { writeFileSync } from 'node:fs'

/**
 * The command lines behind `npm run directory:import` and `npm run directory:export`. Each opens
 * the database the server uses (DATABASE_URL, else the embedded one in DATA_DIR), migrates it,
 * does its work and closes it. The embedded database is one process's at a time: stop the server
 * first.
 */

export interface Io {
  out: (line: string) => void
  err: (line: string) => void
  /** stderr is a terminal: show a progress bar. */
  tty: boolean
}

const processIo: Io = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`), tty: Boolean(process.stderr.isTTY) }

export class UsageError extends Error {}

async function open(io: Io): Promise<Database> {
  const config = readConfig()
  try {
    const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
    await migrate(db)
    await loadReferenceData(db)
    return db
  } catch (error) {
    const where = config.databaseUrl ? 'the PostgreSQL server in DATABASE_URL' : `the embedded database in ${config.dataDir}`
    io.err(`Could not open ${where}: ${(error as Error).message}`)
    if (!config.databaseUrl) io.err('If the server is running, stop it first: the embedded database can be open in one process at a time.')
    throw new UsageError('database unavailable')
  }
}

async function authority(db: Database, value: string | undefined): Promise<string> {
  const tenants = (await db.system.selectFrom('tenants').select('id').orderBy('id').execute()).map((t) => t.id)
  if (!value || !tenants.includes(value)) throw new UsageError(`--authority must be one of: ${tenants.join(', ')}`)
  return value
}

export function printReport(report: ImportReport, io: Io): void {
  for (const rejection of report.rejected) {
    io.err(`Rejected ${rejection.id}:`)
    for (const message of rejection.messages) io.err(`  - ${message}`)
  }
  io.out(`Created ${report.created}, updated ${report.updated}, unchanged ${report.unchanged}, rejected ${report.rejected.length}.`)
}

/** directory:import -- --authority essex FILE|FOLDER. Exit code 0, or 1 when anything was rejected or failed. */
export async function importCommand(args: string[], io: Io = processIo, given?: Database): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { authority: { type: 'string' } }, allowPositionals: true })
  const path = positionals[0]
  if (!path || positionals.length > 1) throw new UsageError('Usage: npm run directory:import -- --authority essex FILE.json|FOLDER')
  const input = readImport(path)
  const db = given ?? (await open(io))
  try {
    const tenantId = await authority(db, values.authority)
    const total = input.services.length
    const bar = io.tty && total > 50 ? new cliProgress.SingleBar({ stream: process.stderr, format: 'Importing [{bar}] {value}/{total} services' }, cliProgress.Presets.shades_classic) : undefined
    bar?.start(total, 0)
    const report = await importServices(db, tenantId, input, (done) => bar?.update(done))
    bar?.stop()
    printReport(report, io)
    return report.rejected.length ? 1 : 0
  } finally {
    if (!given) await db.close()
  }
}

/** directory:export -- --authority essex --format json|csv OUT (a file for json, a folder for csv). */
export async function exportCommand(args: string[], io: Io = processIo, given?: Database): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { authority: { type: 'string' }, format: { type: 'string', default: 'json' } }, allowPositionals: true })
  const out = positionals[0]
  if (!out || positionals.length > 1 || (values.format !== 'json' && values.format !== 'csv')) {
    throw new UsageError('Usage: npm run directory:export -- --authority essex --format json|csv OUT')
  }
  const db = given ?? (await open(io))
  try {
    const tenantId = await authority(db, values.authority)
    const services = await exportServices(db, tenantId)
    if (values.format === 'json') {
      writeFileSync(out, `${JSON.stringify(services, null, 2)}\n`)
      io.out(`Wrote ${services.length} ${services.length === 1 ? 'service' : 'services'} to ${out}.`)
    } else {
      const files = writeCsvFolder(out, services, await exportTaxonomies(db, tenantId))
      io.out(`Wrote ${services.length} ${services.length === 1 ? 'service' : 'services'} as ${files.length} CSV files in ${out}.`)
    }
    return 0
  } finally {
    if (!given) await db.close()
  }
}

/** Runs a command as a script: usage and database problems are one clear line, not a stack trace. */
export function run(command: (args: string[]) => Promise<number>): void {
  command(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof UsageError) {
        if (error.message !== 'database unavailable') console.error(error.message)
      } else {
        console.error(error instanceof Error ? error.message : error)
      }
      process.exit(2)
    },
  )
}

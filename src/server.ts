import { pino } from 'pino'
import { buildApp } from './app.ts'
import { ConfigError, readConfig } from './config.ts'
import { DatabaseInUseError, openDatabase, migrate } from './platform/db/database.ts'
import { loadReferenceData } from './platform/db/reference-data.ts'
import { DEMO_PASSWORD, loadDemoData } from './demo/demo-data.ts'
import { loadDemoRequests } from './demo/demo-requests.ts'
import { loadDemoCasework } from './demo/demo-casework.ts'
import { loadDemoDirectory } from './demo/demo-directory.ts'
import { startJobs } from './platform/jobs/jobs.ts'

/** Reads the config, prepares the database, serves, and shuts down cleanly on a signal. */
async function main(): Promise<void> {
  const config = readConfig()
  const app = await (async () => {
    // The database logs lost connections and pool errors before the app (and its logger) exists.
    const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger: pino({ level: config.logLevel }) })
    const ran = await migrate(db)
    const app = await buildApp({ config, db })
    if (ran.length) app.log.info({ migrations: ran }, 'migrations applied')
    await loadReferenceData(db)
    const demo = config.demoData ? await loadDemoData(db) : { loaded: false, accounts: [] }
    // Fictional requests for the front door queue: for people trying the service, not for tests.
    if (config.demoData) {
      await loadDemoRequests(db, new Date())
      await loadDemoCasework(db, new Date())
      await loadDemoDirectory(db, new Date())
    }
    const jobs = config.jobs ? await startJobs(db, app.log, config.databaseUrl) : undefined
    app.addHook('onClose', async () => {
      await jobs?.stop()
      await db.close()
    })
    await app.listen({ port: config.port, host: config.host })
    const address = `http://localhost:${config.port}`
    const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `the embedded database in ${config.dataDir}`
    console.warn(`\nEarly help is running at ${address} on ${where}.`)
    if (config.demoData) {
      console.warn(demo.loaded ? 'Demonstration data loaded.' : 'Demonstration data was already loaded.')
      console.warn(`Sign in with any demonstration account, password "${DEMO_PASSWORD}", for example:`)
      for (const account of demo.accounts.slice(0, 14)) console.warn(`  ${account.email.padEnd(42)} ${account.label}`)
      console.warn('')
    }
    return app
  })()

  let closing = false
  const shutdown = (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down')
    const force = setTimeout(() => process.exit(1), 10_000)
    force.unref()
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`)
  } else if (error instanceof DatabaseInUseError) {
    console.error(error.message)
  } else {
    console.error('Early help could not start:', error)
  }
  process.exit(1)
})

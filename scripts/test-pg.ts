// Runs the test suite against a real PostgreSQL server.
//
//   node scripts/test-pg.ts [test files/globs...]
//
// Uses $DATABASE_URL when set; otherwise starts a throwaway cluster
// (scripts/pg-cluster.ts) and stops it afterwards. Extra arguments replace the
// default test glob. Exits with the test run's exit code.

import { spawn, type ChildProcess } from 'node:child_process'
import { startThrowawayCluster, type ThrowawayCluster } from './pg-cluster.ts'

const DEFAULT_TESTS = ['src/**/*.test.ts']
const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

let child: ChildProcess | undefined

// Registered before the cluster's own handlers (which stop the cluster and exit),
// so the test run is told to stop first.
for (const sig of FORWARDED_SIGNALS) {
  process.on(sig, () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill(sig)
  })
}

function runTests(args: string[], databaseUrl: string): Promise<number> {
  return new Promise((resolve) => {
    child = spawn(process.execPath, ['--test', '--test-concurrency=2', ...args], {
      stdio: 'inherit',
      env: { ...process.env, DATABASE_URL: databaseUrl },
    })
    child.on('error', (err) => {
      console.error(`could not start the test runner: ${err.message}`)
      resolve(1)
    })
    child.on('exit', (code, signal) => {
      if (code !== null) resolve(code)
      else resolve(signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 1)
    })
  })
}

async function main(): Promise<number> {
  const testArgs = process.argv.length > 2 ? process.argv.slice(2) : DEFAULT_TESTS

  let cluster: ThrowawayCluster | undefined
  let databaseUrl = process.env.DATABASE_URL
  if (databaseUrl) {
    console.log(`test:pg: using DATABASE_URL from the environment`)
  } else {
    const t0 = performance.now()
    cluster = await startThrowawayCluster()
    databaseUrl = cluster.url
    console.log(`test:pg: throwaway PostgreSQL cluster at ${databaseUrl} (started in ${Math.round(performance.now() - t0)} ms)`)
  }

  try {
    return await runTests(testArgs, databaseUrl)
  } finally {
    if (cluster) {
      const t0 = performance.now()
      await cluster.stop()
      console.log(`test:pg: throwaway cluster stopped in ${Math.round(performance.now() - t0)} ms`)
    }
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err)
    process.exit(1)
  },
)

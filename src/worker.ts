/**
 * The production job worker (`npm run worker`): connects to PostgreSQL
 * (DATABASE_URL), registers every job definition and runs due jobs until
 * SIGINT/SIGTERM, then finishes the jobs in flight and exits. Run as many
 * as needed: workers claim with SKIP LOCKED and never run one job twice.
 * Embedded mode (no DATABASE_URL) has no separate worker: jobs run inside
 * the web process.
 */
import { pathToFileURL } from 'node:url'
import { ConfigError, loadConfig, type Config } from './config'
import { systemClock } from './platform/clock'
import { openDatabase, type Database } from './platform/db/database'
import type { JobQueue } from './platform/jobs/index'
import { createCoreServices } from './services'
import { createLogger } from './platform/logger'
import { stopGracefully } from './platform/shutdown'

const CONCURRENCY = 4
const POLL_INTERVAL_MS = 1_000
const STOP_TIMEOUT_MS = 25_000

function fail(message: string): never {
  console.error(`\nThe Oqu worker cannot start: ${message}\n`)
  process.exit(1)
}

function readConfig(): Config & { databaseUrl: string } {
  let config: Config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message)
    throw err
  }
  const { databaseUrl } = config
  if (databaseUrl === undefined) {
    fail(
      'DATABASE_URL is not set. The worker runs against PostgreSQL only; in embedded mode ' +
        '(no DATABASE_URL) jobs run inside the web process started by `npm start`.',
    )
  }
  return { ...config, databaseUrl }
}

async function checkSchema(queue: JobQueue, database: Database): Promise<void> {
  try {
    await queue.stats()
  } catch (err) {
    await database.close()
    if ((err as { code?: string }).code === '42P01')
      fail('the database has no jobs table yet: run `npx oqu db migrate` first.')
    fail(`cannot reach the database: ${(err as Error).message}`)
  }
}

async function main(): Promise<void> {
  const config = readConfig()
  const logger = createLogger(config.logLevel)
  const clock = systemClock
  const database = await openDatabase({ kind: 'postgres', url: config.databaseUrl, poolSize: CONCURRENCY + 2 })
  // The same services and job list as the web process (src/services.ts).
  const { queue, jobs: registry, mail } = createCoreServices({ config, db: database.db, clock, logger })
  await checkSchema(queue, database)
  if (registry.names.length === 0) logger.warn('no jobs are registered: this worker has nothing to run')

  stopGracefully(
    logger,
    'worker',
    async () => {
      await queue.stop({ timeoutMs: STOP_TIMEOUT_MS })
      mail?.close()
      await database.close()
    },
    STOP_TIMEOUT_MS + 10_000,
  )

  queue.start({ concurrency: CONCURRENCY, pollIntervalMs: POLL_INTERVAL_MS })
  logger.info({ jobs: registry.names, scheduled: registry.scheduled.map((s) => s.name) }, 'Oqu worker is running')
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err)
    process.exit(1)
  })
}

/**
 * Starts the web process: opens the database (embedded PGlite unless
 * DATABASE_URL is set), migrates the embedded one, builds the app and
 * listens. Stops cleanly on Ctrl-C / SIGTERM.
 */
import { buildApp } from './app'
import { ProfileError } from './modules/privacy/index'
import { ConfigError, loadConfig, type Config } from './config'
import { openDatabase, type Database } from './platform/db/database'
import { DataDirLockedError } from './platform/db/dir-lock'
import { migrateToLatest } from './platform/db/migrate'
import { createLogger } from './platform/logger'
import { stopGracefully } from './platform/shutdown'

function fail(message: string): never {
  console.error(`\nOqu cannot start: ${message}\n`)
  process.exit(1)
}

async function open(config: Config): Promise<Database> {
  if (config.databaseUrl) return openDatabase({ kind: 'postgres', url: config.databaseUrl })
  return openDatabase({ kind: 'pglite', dataDir: config.dataDir })
}

async function main(): Promise<void> {
  let config: Config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message)
    throw err
  }
  const logger = createLogger(config.logLevel)
  const started = Date.now()
  let database: Database
  try {
    database = await open(config)
  } catch (err) {
    if (err instanceof DataDirLockedError) fail(err.message)
    throw err
  }
  if (database.kind === 'pglite') {
    const { applied } = await migrateToLatest(database.db)
    if (applied.length) logger.info({ applied }, 'migrations applied')
  }
  let app: Awaited<ReturnType<typeof buildApp>>
  try {
    app = await buildApp({ config, database, logger })
  } catch (err) {
    await database.close()
    if (err instanceof ProfileError || err instanceof ConfigError) fail(err.message)
    throw err
  }

  stopGracefully(logger, 'web process', async () => {
    await app.close()
    await database.close()
  })

  await app.listen({ port: config.port, host: config.host })
  const where = database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'
  logger.info({ ms: Date.now() - started }, `Oqu is ready on ${config.publicUrl} (${where}, profile ${config.profile})`)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})

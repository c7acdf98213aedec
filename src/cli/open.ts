/** Opens the configured database for a CLI command and closes it afterwards. */
import type { Config } from '../config'
import { openDatabase, type Database } from '../platform/db/database'

export async function withDatabase<T>(config: Config, fn: (database: Database) => Promise<T>): Promise<T> {
  const database = config.databaseUrl
    ? await openDatabase({ kind: 'postgres', url: config.databaseUrl, poolSize: 4 })
    : await openDatabase({ kind: 'pglite', dataDir: config.dataDir })
  try {
    return await fn(database)
  } finally {
    await database.close()
  }
}

/** `oqu db migrate`: runs pending migrations on the configured database. */
import { migrateToLatest } from '../../platform/db/migrate'
import type { Command } from '../command'
import { withDatabase } from '../open'

export const dbMigrateCommand: Command = {
  name: 'db migrate',
  summary: 'Run pending database migrations (PostgreSQL with DATABASE_URL, else the embedded database)',
  async run({ config, out }) {
    return withDatabase(config, async (database) => {
      const { applied } = await migrateToLatest(database.db)
      out.write(
        applied.length
          ? `Applied ${applied.length} migration(s):\n${applied.map((m) => `  ${m}`).join('\n')}\n`
          : 'The database is up to date.\n',
      )
      return 0
    })
  },
}

/** Data map of the migration bookkeeping tables (no personal data). */
import { defineDataMap, notPersonal } from '../data-map/data-map'

export const dbDataMap = defineDataMap({
  module: 'platform/db',
  tables: {
    schema_migrations: {
      description: 'Which migrations have run, and when',
      columns: { name: notPersonal('Migration name'), timestamp: notPersonal('When it ran') },
    },
    schema_migrations_lock: {
      description: 'Lock row that keeps two migrators from running at once',
      columns: { id: notPersonal(), is_locked: notPersonal() },
    },
  },
})

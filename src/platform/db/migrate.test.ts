import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sql } from 'kysely'
import { migrations } from '../../../migrations/index'
import { describeEachDatabase } from '../../../test/database'
import { migrateToLatest } from './migrate'

test('migration names are numbered and listed in the order they run', () => {
  const names = Object.keys(migrations)
  assert.deepEqual(names, [...names].sort())
  names.forEach((name, i) => assert.match(name, new RegExp(`^${String(i + 1).padStart(4, '0')}-[a-z0-9-]+$`)))
})

describeEachDatabase(
  'migrations',
  (get) => {
    test('apply from an empty database, in order, and a second run applies nothing', async () => {
      const { db } = get()
      const first = await migrateToLatest(db)
      assert.deepEqual(first.applied, Object.keys(migrations))
      const second = await migrateToLatest(db)
      assert.deepEqual(second.applied, [])
      const recorded = await sql<{ name: string }>`select name from schema_migrations order by name`.execute(db)
      assert.deepEqual(
        recorded.rows.map((r) => r.name),
        Object.keys(migrations),
      )
    })
  },
  { migrate: false },
)

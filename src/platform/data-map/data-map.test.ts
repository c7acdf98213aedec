import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sql } from 'kysely'
import { describeEachDatabase } from '../../../test/database'
import { createDataMapRegistry, DataMapError, defineDataMap, notPersonal } from './data-map'
import { liveColumns } from './live-schema'

const sample = defineDataMap({
  module: 'sample',
  tables: {
    people: {
      description: 'People',
      subjectColumn: 'id',
      columns: {
        id: notPersonal(),
        email: {
          category: 'contact',
          purposes: ['service'],
          source: 'user',
          export: 'include',
          erase: 'crypto_shred',
          encrypted: true,
        },
      },
    },
  },
})

test('a restricted category that is not encrypted is refused at start-up', () => {
  const bad = defineDataMap({
    module: 'bad',
    tables: {
      t: {
        description: 't',
        columns: {
          iin: {
            category: 'government_id',
            purposes: ['identification'],
            source: 'user',
            export: 'include',
            erase: 'delete',
          },
        },
      },
    },
  })
  assert.throws(() => createDataMapRegistry([bad]), DataMapError)
})

test('a table declared by two modules is refused', () => {
  assert.throws(() => createDataMapRegistry([sample, { ...sample, module: 'other' }]), /declared by both/)
})

test('a personal column without a purpose is refused', () => {
  const bad = defineDataMap({
    module: 'bad',
    tables: {
      t: {
        description: 't',
        columns: { phone: { category: 'contact', purposes: [], source: 'user', export: 'include', erase: 'delete' } },
      },
    },
  })
  assert.throws(() => createDataMapRegistry([bad]), /needs a purpose/)
})

describeEachDatabase('data map against a live schema', (get) => {
  test('a column added without classification is reported', async () => {
    const { db } = get()
    await sql`create table people (id text primary key, email text, nickname text)`.execute(db)
    const registry = createDataMapRegistry([sample])
    const missing = registry.unclassified((await liveColumns(db)).filter((c) => c.table === 'people'))
    assert.deepEqual(missing, [{ table: 'people', column: 'nickname' }])
    await sql`drop table people`.execute(db)
  })
})

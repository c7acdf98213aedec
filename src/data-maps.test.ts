// T-2.1, B-2.2: every column of every table is classified in the data map.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { test } from 'node:test'
import { describeEachDatabase } from '../test/database'
import { createDataMaps } from './data-maps'
import { renderInventory } from './platform/data-map/inventory'
import { liveColumns } from './platform/data-map/live-schema'

describeEachDatabase('data map covers the live schema', (get) => {
  test('every column of every table is classified (personal category or not personal)', async () => {
    const live = await liveColumns(get().db)
    assert.ok(live.length > 0, 'the migrated schema has columns')
    const missing = createDataMaps().unclassified(live)
    assert.deepEqual(
      missing.map((c) => `${c.table}.${c.column}`),
      [],
      'declare these columns in the owning module’s *.data-map.ts',
    )
  })

  test('the data map declares no column that the schema lacks', async () => {
    const stale = createDataMaps().stale(await liveColumns(get().db))
    assert.deepEqual(
      stale.map((c) => `${c.table}.${c.column}`),
      [],
    )
  })
})

test('docs/privacy/inventory.md is the inventory generated from the data map', () => {
  const committed = fs.readFileSync(new URL('../docs/privacy/inventory.md', import.meta.url), 'utf8')
  assert.equal(committed, renderInventory(createDataMaps()), 'run `npx oqu privacy inventory` and commit the result')
})

// Every learning column is classified; course content is not personal, the links to instructors are (B-3.4, T-4.5.2).
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { describeEachDatabase } from '../../../test/database'
import { createDataMapRegistry, isPersonal } from '../../platform/data-map/data-map'
import { liveColumns } from '../../platform/data-map/live-schema'
import { learningDataMap } from './learning.data-map'

const TABLES = Object.keys(learningDataMap.tables)

describeEachDatabase('learning data map', (get) => {
  it('classifies exactly the live columns of the learning tables', async () => {
    const live = (await liveColumns(get().db)).filter((c) => TABLES.includes(c.table))
    assert.equal(new Set(live.map((c) => c.table)).size, TABLES.length)
    const registry = createDataMapRegistry([learningDataMap])
    assert.deepEqual(registry.unclassified(live), [])
    assert.deepEqual(registry.stale(live), [])
  })
})

it('treats course content as not personal and every link to an instructor as personal, erased at erasure', () => {
  for (const [table, def] of Object.entries(learningDataMap.tables)) {
    for (const [column, c] of Object.entries(def.columns)) {
      const link = table === 'course_instructors' ? column !== 'id' : column === 'created_by'
      assert.equal(isPersonal(c), link, `${table}.${column}`)
      if (isPersonal(c))
        assert.ok(['delete', 'nullify'].includes(c.erase) && c.export === 'include', `${table}.${column}`)
    }
  }
  assert.equal(learningDataMap.tables.courses!.subjectColumn, 'created_by')
  assert.equal(learningDataMap.tables.course_instructors!.subjectColumn, 'user_id')
})

// Every learning column is classified; course content is not personal, the links to instructors are (B-3.4, T-4.5.2).
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { describeEachDatabase } from '../../../test/database'
import { createDataMapRegistry, isPersonal } from '../../platform/data-map/data-map'
import { liveColumns } from '../../platform/data-map/live-schema'
import { learningDataMap } from './learning.data-map'

const TABLES = Object.keys(learningDataMap.tables)
const LEARNER_TABLES = ['enrolments', 'lesson_progress', 'quiz_attempts', 'quiz_answers', 'search_queries']

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
      if (LEARNER_TABLES.includes(table)) continue
      const link = table === 'course_instructors' ? column !== 'id' : column === 'created_by'
      assert.equal(isPersonal(c), link, `${table}.${column}`)
      if (isPersonal(c))
        assert.ok(['delete', 'nullify'].includes(c.erase) && c.export === 'include', `${table}.${column}`)
    }
  }
  assert.equal(learningDataMap.tables.courses!.subjectColumn, 'created_by')
  assert.equal(learningDataMap.tables.course_instructors!.subjectColumn, 'user_id')
})

it('treats every learner record as the learner’s personal data (learning, T-3.1.1/T-4.5), search history encrypted', () => {
  for (const table of LEARNER_TABLES) {
    for (const [column, c] of Object.entries(learningDataMap.tables[table]!.columns)) {
      if (table === 'search_queries' && column === 'id') continue
      assert.ok(isPersonal(c), `${table}.${column}`)
      assert.equal(c.category, table === 'search_queries' ? 'behaviour' : 'learning', `${table}.${column}`)
      assert.equal(c.export, 'include')
    }
  }
  const q = learningDataMap.tables.search_queries!.columns.query_ciphertext!
  assert.ok(isPersonal(q) && q.encrypted === true)
  for (const table of ['quiz_settings', 'quiz_questions', 'quiz_options'])
    for (const c of Object.values(learningDataMap.tables[table]!.columns)) assert.equal(isPersonal(c), false)
})

// Search history (B-2.2): kept only while the learner's search-history consent is on (an injected check — here a
// real function over a set of consenting learners), encrypted under the learner's key, seen and cleared by its owner.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { it } from 'node:test'
import { describeEachDatabase } from '../../../test/database'
import { createAuditLog } from '../../platform/audit/index'
import { createFieldCrypto, createKeyring } from '../../platform/crypto/index'
import type { LearningTables } from './learning.tables'
import { createSearchHistory } from './search-history.service'
import { learningFixtures } from './test-fixtures'

const f = learningFixtures()
const audit = createAuditLog({ clock: f.clock })
const keyring = createKeyring(new Map([['k1', randomBytes(32)]]), 'k1', randomBytes(32))
const crypto = createFieldCrypto({ keyring, audit, clock: f.clock })
const consenting = new Set<string>()
const withConsent = createSearchHistory({ audit, crypto, allowsSearchHistory: async (_ctx, id) => consenting.has(id) })
const byDefault = createSearchHistory({ audit, crypto })

describeEachDatabase('search history', (get) => {
  it('keeps nothing by default or without consent', async () => {
    const db = get().db
    const learner = await f.user(db, 'learner')
    assert.equal(await byDefault.record(f.ctx(db, learner), 'педагогика'), false)
    assert.equal(await withConsent.record(f.ctx(db, learner), 'педагогика'), false)
    assert.equal(await withConsent.enabled(f.ctx(db, learner)), false)
    assert.deepEqual(await withConsent.list(f.ctx(db, learner)), [])
  })

  it('with consent: encrypted under the learner’s key, listed newest first to its owner only, cleared with an audit count', async () => {
    const db = get().db
    const learner = await f.user(db, 'learner')
    const other = await f.user(db, 'learner')
    consenting.add(learner.id)
    assert.equal(await withConsent.record(f.ctx(db, learner), '  цифрлық сауаттылық '), true)
    f.clock.advance(1000)
    assert.equal(await withConsent.record(f.ctx(db, learner), 'оценивание'), true)
    const rows = await db
      .withTables<LearningTables>()
      .selectFrom('search_queries')
      .select(['query_ciphertext'])
      .where('user_id', '=', learner.id)
      .execute()
    assert.equal(rows.length, 2)
    for (const r of rows) assert.doesNotMatch(r.query_ciphertext, /цифр|оцен/)
    assert.deepEqual(
      (await withConsent.list(f.ctx(db, learner))).map((q) => q.query),
      ['оценивание', 'цифрлық сауаттылық'],
    )
    assert.deepEqual(await withConsent.list(f.ctx(db, other)), [])
    assert.equal(await withConsent.clear(f.ctx(db, learner)), 2)
    assert.deepEqual(await withConsent.list(f.ctx(db, learner)), [])
    const entry = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'search_history.cleared')
      .where('subject_id', '=', learner.id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(entry.data, { count: 2 })
  })
})

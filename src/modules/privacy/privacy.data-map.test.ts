// T-2.1, B-2.2, law Art. 8(4): every column of the privacy tables is classified; consent records are category
// `consent`, and the network details in them are encrypted and erased with the subject's key.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { describeEachDatabase } from '../../../test/database'
import { createDataMapRegistry, isPersonal } from '../../platform/data-map/data-map'
import { liveColumns } from '../../platform/data-map/live-schema'
import { privacyDataMap } from './privacy.data-map'

const OWN_TABLES = Object.keys(privacyDataMap.tables)

describeEachDatabase('privacy data map', (get) => {
  it('classifies exactly the live columns of its tables', async () => {
    const live = (await liveColumns(get().db)).filter((c) => OWN_TABLES.includes(c.table))
    assert.deepEqual([...OWN_TABLES].sort(), [
      'account_closures',
      'consent_records',
      'policy_notice_runs',
      'policy_notices',
      'policy_texts',
      'policy_versions',
      'privacy_complaints',
    ])
    const registry = createDataMapRegistry([privacyDataMap])
    assert.deepEqual(registry.unclassified(live), [])
    assert.deepEqual(registry.stale(live), [])
  })
})

it('classifies a consent record as consent evidence, with its IP address and browser encrypted', () => {
  const columns = privacyDataMap.tables.consent_records!.columns
  for (const [name, c] of Object.entries(columns)) {
    assert.ok(isPersonal(c), name)
    if (name.endsWith('_ciphertext')) {
      assert.equal(c.category, 'technical', name)
      assert.ok(c.encrypted && c.erase === 'crypto_shred', name)
    } else assert.equal(c.category, 'consent', name)
  }
  assert.equal(privacyDataMap.tables.consent_records!.subjectColumn, 'subject_id')
})

it('holds no personal data in policy versions and texts', () => {
  for (const table of ['policy_versions', 'policy_texts'])
    for (const c of Object.values(privacyDataMap.tables[table]!.columns)) assert.equal(c.category, 'not_personal')
})

it("keeps a complaint's text encrypted and erased with the complainant's key (T-5.1.5)", () => {
  const body = privacyDataMap.tables.privacy_complaints!.columns.body_ciphertext!
  assert.ok(isPersonal(body) && body.encrypted && body.erase === 'crypto_shred')
  assert.equal(privacyDataMap.tables.policy_notices!.subjectColumn, 'user_id')
})

it('hands a closed account over to retention with ids and dates only (T-1.2, T-4.5, B-2.4)', () => {
  const table = privacyDataMap.tables.account_closures!
  assert.equal(table.subjectColumn, 'subject_id')
  for (const [name, c] of Object.entries(table.columns)) {
    assert.ok(isPersonal(c), name)
    assert.equal(c.category, 'consent', name)
    assert.equal(c.erase, 'retain', name)
  }
  assert.ok(table.columns.retention_until, 'the date the purge reads')
})

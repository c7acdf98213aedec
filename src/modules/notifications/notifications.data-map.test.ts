// T-2.1, B-4.3: every column of the outbox is classified; addresses and message texts are encrypted and crypto-shredded.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { describeEachDatabase } from '../../../test/database'
import { createDataMapRegistry, isPersonal } from '../../platform/data-map/data-map'
import { liveColumns } from '../../platform/data-map/live-schema'
import { notificationsDataMap } from './notifications.data-map'

describeEachDatabase('notifications data map', (get) => {
  it('classifies exactly the live columns of the notifications table', async () => {
    const live = (await liveColumns(get().db)).filter((c) => c.table === 'notifications')
    assert.ok(live.length > 0)
    const registry = createDataMapRegistry([notificationsDataMap])
    assert.deepEqual(registry.unclassified(live), [])
    assert.deepEqual(registry.stale(live), [])
  })
})

it('keeps the recipient (contact) and the texts (correspondence) encrypted and erased by crypto-shredding', () => {
  const columns = notificationsDataMap.tables.notifications!.columns
  const expected = {
    recipient_ciphertext: 'contact',
    subject_ciphertext: 'correspondence',
    body_ciphertext: 'correspondence',
  }
  for (const [name, category] of Object.entries(expected)) {
    const c = columns[name]!
    assert.ok(isPersonal(c) && c.category === category && c.encrypted && c.erase === 'crypto_shred', name)
  }
  assert.equal(notificationsDataMap.tables.notifications!.subjectColumn, 'subject_id')
})

// T-2.1, B-2.2: every column of the accounts tables is classified, and the e-mail address is encrypted.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { describeEachDatabase } from '../../../test/database'
import { createDataMapRegistry, isPersonal } from '../../platform/data-map/data-map'
import { liveColumns } from '../../platform/data-map/live-schema'
import { accountsDataMap } from './accounts.data-map'

const OWN_TABLES = Object.keys(accountsDataMap.tables)

describeEachDatabase('accounts data map', (get) => {
  it('classifies exactly the live columns of its tables', async () => {
    const live = (await liveColumns(get().db)).filter((c) => OWN_TABLES.includes(c.table))
    assert.deepEqual(OWN_TABLES.sort(), [
      'account_tokens',
      'data_change_requests',
      'guardian_links',
      'login_throttles',
      'recovery_codes',
      'sessions',
      'totp_factors',
      'user_avatars',
      'user_roles',
      'users',
    ])
    const registry = createDataMapRegistry([accountsDataMap])
    assert.deepEqual(registry.unclassified(live), [])
    assert.deepEqual(registry.stale(live), [])
  })
})

it('keeps the e-mail address encrypted and erasable, and its blind index personal', () => {
  const users = accountsDataMap.tables.users!.columns
  const email = users.email_ciphertext!
  assert.ok(isPersonal(email) && email.category === 'contact' && email.encrypted && email.erase === 'crypto_shred')
  const index = users.email_index!
  assert.ok(isPersonal(index) && index.category === 'contact' && index.source === 'derived')
  assert.ok(isPersonal(index) && index.erase === 'nullify', 'a kept index would still match the erased address')
})

it('keeps the phone number like the address, and the sign-in IP encrypted and deleted with its session', () => {
  const users = accountsDataMap.tables.users!.columns
  const phone = users.phone_ciphertext!
  assert.ok(isPersonal(phone) && phone.category === 'contact' && phone.encrypted && phone.erase === 'crypto_shred')
  const sessions = accountsDataMap.tables.sessions!
  assert.equal(sessions.subjectColumn, 'user_id')
  const ip = sessions.columns.ip_ciphertext!
  assert.ok(isPersonal(ip) && ip.category === 'technical' && ip.encrypted && ip.erase === 'delete')
  const token = sessions.columns.token_hash!
  assert.ok(isPersonal(token) && token.category === 'credentials' && token.export === 'exclude')
  for (const [name, column] of Object.entries(accountsDataMap.tables.login_throttles!.columns)) {
    if (name !== 'scope')
      assert.ok(isPersonal(column) && column.erase === 'delete' && column.export === 'exclude', name)
  }
})

it('keeps every registration field encrypted under the person’s key, the IIN as restricted data', () => {
  const users = accountsDataMap.tables.users!.columns
  for (const name of ['surname', 'given_name', 'patronymic', 'user_name', 'iin', 'gender', 'birth_date']) {
    const column = users[`${name}_ciphertext`]!
    assert.ok(isPersonal(column) && column.encrypted && column.erase === 'crypto_shred', name)
  }
  const iin = users.iin_ciphertext!
  assert.ok(isPersonal(iin) && iin.category === 'government_id')
  const secret = accountsDataMap.tables.account_tokens!.columns.secret_hash!
  assert.ok(isPersonal(secret) && secret.category === 'credentials' && secret.export === 'exclude')
})

import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { it } from 'node:test'
import { describeEachDatabase } from '../../../test/database'
import { createAuditLog } from '../audit/index'
import type { Db } from '../db/database'
import { UnknownKeyError } from './crypto.errors'
import { createFieldCrypto } from './crypto.field'
import { parseKeyring } from './crypto.keyring'
import type { RotationProgress } from './crypto.rotation'

const audit = createAuditLog()
const blindIndexKey = randomBytes(32).toString('base64')
const k1 = `k1:${randomBytes(32).toString('base64')}`
const k2 = `k2:${randomBytes(32).toString('base64')}`
const k3 = `k3:${randomBytes(32).toString('base64')}`
const service = (spec: string) => createFieldCrypto({ keyring: parseKeyring(spec, { blindIndexKey }), audit })
const ref = (n: number) => ({ subjectId: `r-${n}`, field: 'accounts.iin' })
const SUBJECTS = [1, 2, 3, 4, 5]

async function kekIds(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('subject_keys')
    .select('kek_id')
    .where('wrapped_key', 'is not', null)
    .orderBy('subject_id')
    .execute()
  return rows.map((r) => r.kek_id ?? '')
}

describeEachDatabase('master-key rotation', (get) => {
  const values: string[] = []

  it('re-wraps every data key under the new master key, in batches, reporting progress', async () => {
    const { db } = get()
    const before = service(k1)
    for (const n of SUBJECTS) values.push(await before.encryptField(db, ref(n), `iin-${n}`))
    const progress: RotationProgress[] = []
    const report = await service(`${k1},${k2}`).rotateKeys(db, { batchSize: 2, onProgress: (p) => progress.push(p) })
    assert.deepEqual(report, { activeKeyId: 'k2', rewrapped: 5, remaining: 0, unavailable: {} })
    assert.deepEqual(progress, [
      { batch: 1, rewrapped: 2, remaining: 3 },
      { batch: 2, rewrapped: 4, remaining: 1 },
      { batch: 3, rewrapped: 5, remaining: 0 },
    ])
    assert.deepEqual(await kekIds(db), ['k2', 'k2', 'k2', 'k2', 'k2'])
  })

  it('still decrypts everything once the old master key has left the ring', async () => {
    const { db } = get()
    const after = service(k2)
    for (const n of SUBJECTS) assert.equal(await after.decryptField(db, ref(n), values[n - 1]!), `iin-${n}`)
  })

  it('is safe to re-run: nothing left to do', async () => {
    const report = await service(`${k1},${k2}`).rotateKeys(get().db)
    assert.deepEqual(report, { activeKeyId: 'k2', rewrapped: 0, remaining: 0, unavailable: {} })
  })

  it('reports data keys under a master key missing from the ring instead of failing', async () => {
    const { db } = get()
    const report = await service(k3).rotateKeys(db)
    assert.deepEqual(report, { activeKeyId: 'k3', rewrapped: 0, remaining: 5, unavailable: { k2: 5 } })
    await assert.rejects(service(k3).decryptField(db, ref(1), values[0]!), UnknownKeyError)
  })

  it('keeps encrypting and decrypting while the ring holds old and new keys', async () => {
    const { db } = get()
    const both = service(`${k2},${k3}`)
    const v = await both.encryptField(db, ref(9), 'fresh')
    assert.equal(await both.decryptField(db, ref(9), v), 'fresh')
    assert.equal(await both.decryptField(db, ref(2), values[1]!), 'iin-2')
    assert.equal((await both.rotateKeys(db, { batchSize: 50 })).rewrapped, 5)
    assert.equal(await service(k3).decryptField(db, ref(9), v), 'fresh')
  })
})

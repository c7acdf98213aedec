import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { it } from 'node:test'
import { sql } from 'kysely'
import { describeEachDatabase } from '../../../test/database'
import { createAuditLog } from '../audit/index'
import { createTestClock } from '../clock'
import { systemCtx } from '../context'
import type { Db } from '../db/database'
import { DecryptionError, SubjectKeyDestroyedError } from './crypto.errors'
import { createFieldCrypto } from './crypto.field'
import { parseKeyring } from './crypto.keyring'

const clock = createTestClock('2026-03-01T10:00:00Z')
const audit = createAuditLog({ clock })
const blindIndexKey = randomBytes(32).toString('base64')
const k1 = randomBytes(32).toString('base64')
const ring = parseKeyring(`k1:${k1}`, { blindIndexKey })
/** A fresh service each time, so nothing is served from another instance's cache. */
const fresh = () => createFieldCrypto({ keyring: ring, audit, clock })
const crypto = fresh()

const iin = (subjectId: string) => ({ subjectId, field: 'accounts.iin' })

async function keyRows(db: Db, subjectId: string) {
  return db.selectFrom('subject_keys').selectAll().where('subject_id', '=', subjectId).execute()
}

describeEachDatabase('field encryption', (get) => {
  it('round-trips a value under the subject’s data key, created once', async () => {
    const { db } = get()
    const a = await crypto.encryptField(db, iin('s-1'), '900515301234')
    const b = await crypto.encryptField(db, iin('s-1'), 'Қазақстан')
    assert.match(a, /^v1\.1\.[\w-]+\.[\w-]+\.[\w-]+$/)
    assert.ok(!a.includes('900515301234'))
    assert.equal(await crypto.decryptField(db, iin('s-1'), a), '900515301234')
    assert.equal(await fresh().decryptField(db, iin('s-1'), b), 'Қазақстан')
    assert.equal(await fresh().decryptField(db, iin('s-1'), await crypto.encryptField(db, iin('s-1'), '')), '')
    const rows = await keyRows(db, 's-1')
    assert.equal(rows.length, 1)
    assert.equal(rows[0]!.kek_id, 'k1')
  })

  it('detects a tampered value', async () => {
    const { db } = get()
    const good = await crypto.encryptField(db, iin('s-1'), '900515301234')
    const parts = good.split('.')
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1)
    for (const i of [2, 3, 4]) {
      const bad = parts.map((p, j) => (j === i ? flip(p) : p)).join('.')
      await assert.rejects(crypto.decryptField(db, iin('s-1'), bad), DecryptionError)
      await assert.rejects(fresh().decryptField(db, iin('s-1'), bad), DecryptionError)
    }
    await assert.rejects(crypto.decryptField(db, iin('s-1'), 'v1.7.x.y.z'), DecryptionError)
  })

  it('refuses a value moved to another subject or another field', async () => {
    const { db } = get()
    const value = await crypto.encryptField(db, iin('s-1'), '900515301234')
    await crypto.encryptField(db, iin('s-2'), 'other')
    await assert.rejects(crypto.decryptField(db, iin('s-2'), value), DecryptionError)
    await assert.rejects(crypto.decryptField(db, iin('s-never-seen'), value), DecryptionError)
    await assert.rejects(crypto.decryptField(db, { subjectId: 's-1', field: 'accounts.phone' }, value), DecryptionError)
  })

  it('refuses a data key copied to another subject', async () => {
    const { db } = get()
    const value = await crypto.encryptField(db, iin('s-2'), 'secret')
    await sql`UPDATE subject_keys SET wrapped_key = (SELECT wrapped_key FROM subject_keys WHERE subject_id = 's-1')
              WHERE subject_id = 's-2'`.execute(db)
    await assert.rejects(fresh().decryptField(db, iin('s-2'), value), DecryptionError)
  })

  it('crypto-shreds: after destroySubjectKey nothing of the subject decrypts, and it is audited', async () => {
    const { db } = get()
    const value = await crypto.encryptField(db, iin('s-3'), '900515301234')
    assert.equal(await crypto.decryptField(db, iin('s-3'), value), '900515301234')
    const result = await crypto.destroySubjectKey(systemCtx(db, clock), 's-3')
    assert.deepEqual(result, { destroyedVersions: 1 })
    await assert.rejects(crypto.decryptField(db, iin('s-3'), value), SubjectKeyDestroyedError)
    await assert.rejects(fresh().decryptField(db, iin('s-3'), value), SubjectKeyDestroyedError)
    await assert.rejects(crypto.encryptField(db, iin('s-3'), 'new'), SubjectKeyDestroyedError)
    const [row] = await keyRows(db, 's-3')
    assert.equal(row!.wrapped_key, null)
    assert.notEqual(row!.destroyed_at, null)
    const entry = await db
      .selectFrom('audit_log')
      .select(['action', 'subject_id', 'actor_kind', 'data'])
      .where('subject_id', '=', 's-3')
      .executeTakeFirstOrThrow()
    assert.deepEqual(entry, {
      action: 'crypto.subject_key_destroyed',
      subject_id: 's-3',
      actor_kind: 'system',
      data: { destroyedVersions: 1 },
    })
    await assert.rejects(
      sql`UPDATE subject_keys SET wrapped_key = 'x', destroyed_at = NULL WHERE subject_id = 's-3'`.execute(db),
      /destroyed/,
    )
  })

  it('leaves a tombstone for a subject who never had a key, so none is created later', async () => {
    const { db } = get()
    assert.deepEqual(await crypto.destroySubjectKey(systemCtx(db, clock), 's-4'), { destroyedVersions: 0 })
    await assert.rejects(crypto.encryptField(db, iin('s-4'), 'x'), SubjectKeyDestroyedError)
  })

  it('keeps the key when the transaction that destroyed it rolls back', async () => {
    const { db } = get()
    const value = await crypto.encryptField(db, iin('s-5'), 'kept')
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await crypto.destroySubjectKey(systemCtx(trx, clock), 's-5')
        throw new Error('erasure aborted')
      }),
      /erasure aborted/,
    )
    assert.equal(await crypto.decryptField(db, iin('s-5'), value), 'kept')
  })

  it('refuses to delete a live data key', async () => {
    const { db } = get()
    await assert.rejects(db.deleteFrom('subject_keys').where('subject_id', '=', 's-5').execute(), /destroy it instead/)
  })

  it('computes blind indexes that do not change between instances', () => {
    const other = createFieldCrypto({
      keyring: parseKeyring(`k9:${randomBytes(32).toString('base64')}`, { blindIndexKey }),
      audit,
    })
    assert.equal(crypto.blindIndex('900515301234', 'accounts.iin'), other.blindIndex('900515301234', 'accounts.iin'))
    assert.notEqual(
      crypto.blindIndex('900515301234', 'accounts.iin'),
      crypto.blindIndex('900515301235', 'accounts.iin'),
    )
  })

  it('creates one key when several writers encrypt for a new subject at once', async () => {
    const { db } = get()
    const values = await Promise.all([1, 2, 3, 4, 5].map((n) => fresh().encryptField(db, iin('s-6'), `v${n}`)))
    assert.equal((await keyRows(db, 's-6')).length, 1)
    const plain = await Promise.all(values.map((v) => fresh().decryptField(db, iin('s-6'), v)))
    assert.deepEqual(plain, ['v1', 'v2', 'v3', 'v4', 'v5'])
  })
})

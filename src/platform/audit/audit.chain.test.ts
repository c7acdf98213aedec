import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { createTestDatabase, databaseKinds, describeEachDatabase } from '../../../test/database'
import { createTestClock } from '../clock'
import { systemCtx } from '../context'
import type { Db } from '../db/database'
import { canonicalJson, entryHash, GENESIS_HASH } from './audit.chain'
import { createAuditLog, type VerifyResult } from './index'

// Each suite resets the clock, so both databases see the very same entries.
const clock = createTestClock('2026-03-01T10:00:00Z')
const audit = createAuditLog({ clock })

class Rollback extends Error {}

/** Tampers inside a transaction with the guard trigger off, verifies there, then rolls everything back. */
async function verifyTampered(db: Db, tamper: (trx: Db) => Promise<unknown>): Promise<VerifyResult> {
  let result: VerifyResult | undefined
  await db
    .transaction()
    .execute(async (trx) => {
      await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`.execute(trx)
      await tamper(trx)
      result = await audit.verify(trx)
      throw new Rollback()
    })
    .catch((err: unknown) => {
      if (!(err instanceof Rollback)) throw err
    })
  return result!
}

async function recordMany(db: Db, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    clock.advance(1000)
    await audit.record(systemCtx(db, clock, `req-${i}`), { action: 'test.happened', subjectId: `s-${i}`, data: { i } })
  }
}

describe('canonical JSON', () => {
  it('sorts keys at every depth and writes dates as ISO strings', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: new Date('2026-01-01T00:00:00+05:00'), c: [2, 'x'] }, z: undefined, n: null }),
      '{"a":{"c":[2,"x"],"d":"2025-12-31T19:00:00.000Z"},"b":1,"n":null}',
    )
  })
})

describeEachDatabase('audit log: hash chain', (get) => {
  before(() => clock.set('2026-03-01T10:00:00Z'))

  it('seals entries in batches into a chain that verifies, and hashes identically on every database', async () => {
    const { db } = get()
    await recordMany(db, 5)
    assert.deepEqual(await audit.verify(db), {
      ok: true,
      checked: 0,
      unsealed: 5,
      head: { seq: 0, hash: GENESIS_HASH },
    })
    const sealed = await audit.seal(db, { batchSize: 2 })
    assert.equal(sealed.sealed, 5)
    assert.equal(sealed.lastSeq, 5)
    const rows = await db.selectFrom('audit_log').select(['seq', 'prev_hash', 'hash']).orderBy('seq').execute()
    assert.deepEqual(
      rows.map((r) => Number(r.seq)),
      [1, 2, 3, 4, 5],
    )
    assert.equal(rows[0]!.prev_hash, GENESIS_HASH)
    for (let i = 1; i < rows.length; i++) assert.equal(rows[i]!.prev_hash, rows[i - 1]!.hash)
    // A golden value: PostgreSQL and PGlite must produce the very same chain.
    assert.equal(rows[0]!.hash, FIRST_HASH)
    const result = await audit.verify(db)
    assert.deepEqual(result, { ok: true, checked: 5, unsealed: 0, head: { seq: 5, hash: sealed.lastHash } })
  })

  it('reports entries not yet sealed, and seals new ones after the head', async () => {
    const { db } = get()
    await recordMany(db, 3)
    assert.equal((await audit.verify(db)).unsealed, 3)
    assert.equal((await audit.seal(db)).lastSeq, 8)
    assert.equal((await audit.seal(db)).sealed, 0)
    assert.deepEqual(await audit.verify(db).then((r) => [r.ok, r.checked, r.unsealed]), [true, 8, 0])
  })

  it('detects a changed entry', async () => {
    const result = await verifyTampered(get().db, (trx) =>
      sql`UPDATE audit_log SET data = '{"i": 99}'::jsonb WHERE seq = 4`.execute(trx),
    )
    assert.equal(result.ok, false)
    assert.equal(result.firstBad?.seq, 4)
    assert.match(result.firstBad?.reason ?? '', /hash mismatch/)
    assert.equal(result.checked, 3)
  })

  it('detects a deleted entry', async () => {
    const result = await verifyTampered(get().db, (trx) => sql`DELETE FROM audit_log WHERE seq = 3`.execute(trx))
    assert.equal(result.ok, false)
    assert.equal(result.firstBad?.seq, 3)
    assert.match(result.firstBad?.reason ?? '', /missing/)
  })

  it('detects a deleted entry even when the later entries are renumbered', async () => {
    const result = await verifyTampered(get().db, async (trx) => {
      await sql`DELETE FROM audit_log WHERE seq = 3`.execute(trx)
      await sql`UPDATE audit_log SET seq = seq - 1 WHERE seq > 3`.execute(trx)
    })
    assert.equal(result.firstBad?.seq, 3)
  })

  it('detects reordered entries', async () => {
    const result = await verifyTampered(get().db, async (trx) => {
      await sql`UPDATE audit_log SET seq = -1 WHERE seq = 5`.execute(trx)
      await sql`UPDATE audit_log SET seq = 5 WHERE seq = 6`.execute(trx)
      await sql`UPDATE audit_log SET seq = 6 WHERE seq = -1`.execute(trx)
    })
    assert.equal(result.ok, false)
    assert.equal(result.firstBad?.seq, 5)
  })

  it('detects a moved entry whose hash was recomputed for its new place', async () => {
    const { db } = get()
    const row = await db.selectFrom('audit_log').selectAll().where('seq', '=', '6').executeTakeFirstOrThrow()
    const result = await verifyTampered(db, async (trx) => {
      await sql`DELETE FROM audit_log WHERE seq = 5`.execute(trx)
      const hash = entryHash(row, row.prev_hash!, 5)
      await sql`UPDATE audit_log SET seq = 5, hash = ${hash} WHERE id = ${row.id}`.execute(trx)
    })
    assert.equal(result.firstBad?.seq, 5)
    assert.equal(result.firstBad?.id, row.id)
    assert.match(result.firstBad?.reason ?? '', /prev_hash/)
  })

  it('detects a truncated tail', async () => {
    const result = await verifyTampered(get().db, (trx) => sql`DELETE FROM audit_log WHERE seq >= 7`.execute(trx))
    assert.equal(result.ok, false)
    assert.deepEqual(result.firstBad, {
      seq: 7,
      id: null,
      reason: 'the chain head records 8 entries but only 6 remain: the tail was removed',
    })
    assert.equal(result.checked, 6)
  })

  it('is intact again once the tampering is rolled back', async () => {
    assert.equal((await audit.verify(get().db)).ok, true)
  })
})

// Only PostgreSQL has several connections, so only there can transactions interleave.
describe(
  'audit log: concurrent writers and sealers [postgres]',
  { skip: !databaseKinds().includes('postgres') },
  () => {
    it('seals an entry that commits late (lower id) after a later one, and never assigns a seq twice', async () => {
      const test = await createTestDatabase('postgres')
      try {
        const { db } = test
        // Gates, not sleeps: the late transaction inserts first (lower id) and
        // commits only after the early entry has been sealed.
        let inserted!: () => void
        let release!: () => void
        const lateInserted = new Promise<void>((r) => (inserted = r))
        const mayCommit = new Promise<void>((r) => (release = r))
        const late = db.transaction().execute(async (trx) => {
          await audit.record(systemCtx(trx, clock), { action: 'test.late' })
          inserted()
          await mayCommit
        })
        await lateInserted
        await audit.record(systemCtx(db, clock), { action: 'test.early' })
        assert.equal((await audit.seal(db)).sealed, 1)
        release()
        await late
        await recordMany(db, 40)
        const sealers = await Promise.all([1, 2, 3, 4].map(() => audit.seal(db, { batchSize: 3 })))
        assert.equal(
          sealers.reduce((n, s) => n + s.sealed, 0),
          41,
        )
        const rows = await db.selectFrom('audit_log').select(['id', 'action']).orderBy('seq').limit(2).execute()
        assert.deepEqual(
          rows.map((r) => r.action),
          ['test.early', 'test.late'],
        )
        assert.ok(Number(rows[1]!.id) < Number(rows[0]!.id), 'the late entry has the lower id')
        assert.deepEqual(await audit.verify(db).then((r) => [r.ok, r.checked, r.unsealed]), [true, 42, 0])
      } finally {
        await test.dispose()
      }
    })
  },
)

const FIRST_HASH = '5164c45458d7249ca9a9bc2dcb5999c4ba1918707ca915be08ffb4b1d799857e'

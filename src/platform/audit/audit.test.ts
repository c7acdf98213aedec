import assert from 'node:assert/strict'
import { it } from 'node:test'
import { sql } from 'kysely'
import { describeEachDatabase } from '../../../test/database'
import { createTestClock } from '../clock'
import { systemCtx, type Ctx } from '../context'
import type { Db } from '../db/database'
import { auditJobs } from './audit.jobs'
import { AuditEventError, createAuditLog } from './index'

const clock = createTestClock('2026-03-01T10:00:00Z')
const audit = createAuditLog({ clock })

function userCtx(db: Db): Ctx {
  return {
    actor: { kind: 'user', id: 'u-1', roles: ['learner'] },
    requestId: 'req-1',
    ip: '203.0.113.7',
    userAgent: 'test',
    locale: 'kk',
    now: clock.now(),
    db,
  }
}

async function count(db: Db): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

describeEachDatabase('audit log: recording and append-only', (get) => {
  it('records the event with actor, request, ip and the clock time, unsealed', async () => {
    const { db } = get()
    const { id } = await audit.record(userCtx(db), {
      action: 'consent.withdrawn',
      subjectType: 'user',
      subjectId: 'u-1',
      targetType: 'consent_entry',
      targetId: 'c-9',
      data: { purpose: 'marketing', count: 2, final: true, note: null },
    })
    const row = await db.selectFrom('audit_log').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    assert.equal(row.action, 'consent.withdrawn')
    assert.equal(row.actor_kind, 'user')
    assert.equal(row.actor_id, 'u-1')
    assert.equal(row.request_id, 'req-1')
    assert.equal(row.ip, '203.0.113.7')
    assert.equal(row.occurred_at.toISOString(), '2026-03-01T10:00:00.000Z')
    assert.deepEqual(row.data, { purpose: 'marketing', count: 2, final: true, note: null })
    assert.equal(row.seq, null)
    assert.equal(row.hash, null)
  })

  it('records an anonymous actor when the ctx has none', async () => {
    const { db } = get()
    const { id } = await audit.record({ ...userCtx(db), actor: null }, { action: 'auth.login_failed' })
    const row = await db
      .selectFrom('audit_log')
      .select(['actor_kind', 'actor_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(row, { actor_kind: 'anonymous', actor_id: null })
  })

  it('commits or rolls back with the change it describes', async () => {
    const { db } = get()
    const before = await count(db)
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await audit.record(userCtx(trx), { action: 'profile.updated', subjectId: 'u-1' })
        throw new Error('the change failed')
      }),
      /the change failed/,
    )
    assert.equal(await count(db), before)
    await db.transaction().execute((trx) => audit.record(userCtx(trx), { action: 'profile.updated', subjectId: 'u-1' }))
    assert.equal(await count(db), before + 1)
  })

  it('refuses personal data and writes nothing', async () => {
    const { db } = get()
    const before = await count(db)
    await assert.rejects(
      audit.record(userCtx(db), { action: 'profile.updated', data: { email: 'x' } }),
      AuditEventError,
    )
    await assert.rejects(
      audit.record(userCtx(db), { action: 'profile.updated', data: { note: 'a@b.kz' } }),
      AuditEventError,
    )
    await assert.rejects(
      audit.record(userCtx(db), { action: 'profile.updated', subjectId: '900515301234' }),
      AuditEventError,
    )
    await assert.rejects(audit.record(userCtx(db), { action: 'Profile updated' }), AuditEventError)
    assert.equal(await count(db), before)
  })

  it('refuses DELETE, TRUNCATE and changes to an entry', async () => {
    const { db } = get()
    const { id } = await audit.record(userCtx(db), { action: 'profile.viewed', subjectId: 'u-2' })
    await assert.rejects(db.deleteFrom('audit_log').where('id', '=', id).execute(), /append-only/)
    await assert.rejects(sql`TRUNCATE audit_log`.execute(db), /append-only/)
    await assert.rejects(
      sql`UPDATE audit_log SET action = 'profile.deleted' WHERE id = ${id}`.execute(db),
      /append-only/,
    )
    await assert.rejects(
      sql`UPDATE audit_log SET action = 'profile.deleted', seq = 999, prev_hash = 'x', hash = 'y', sealed_at = now() WHERE id = ${id}`.execute(
        db,
      ),
      /cannot change/,
    )
  })

  it('refuses entries inserted already sealed', async () => {
    const { db } = get()
    await assert.rejects(
      sql`INSERT INTO audit_log (occurred_at, action, actor_kind, seq, prev_hash, hash, sealed_at)
          VALUES (now(), 'x.forged', 'system', 1000, 'a', 'b', now())`.execute(db),
      /inserted unsealed/,
    )
  })

  it('lets the sealer set the chain fields once, then refuses any change to the sealed entry', async () => {
    const { db } = get()
    await audit.seal(db)
    const row = await db.selectFrom('audit_log').select(['id', 'seq']).orderBy('id', 'desc').executeTakeFirstOrThrow()
    assert.notEqual(row.seq, null)
    await assert.rejects(sql`UPDATE audit_log SET sealed_at = now() WHERE id = ${row.id}`.execute(db), /sealed/)
    await assert.rejects(
      sql`UPDATE audit_log SET seq = NULL, prev_hash = NULL, hash = NULL, sealed_at = NULL WHERE id = ${row.id}`.execute(
        db,
      ),
      /sealed/,
    )
  })

  it('keeps the chain head moving forward only', async () => {
    const { db } = get()
    await assert.rejects(
      sql`UPDATE audit_chain_head SET last_seq = 0, last_hash = repeat('0', 64)`.execute(db),
      /forward/,
    )
    await assert.rejects(sql`DELETE FROM audit_chain_head`.execute(db), /forward/)
    await assert.rejects(sql`TRUNCATE audit_chain_head`.execute(db), /forward/)
  })

  it('offers a scheduled seal-audit-log job that seals outside a job transaction', async () => {
    const { db } = get()
    await audit.record(userCtx(db), { action: 'profile.viewed', subjectId: 'u-3' })
    const [job] = auditJobs(audit)
    assert.equal(job?.name, 'seal-audit-log')
    assert.equal(job?.cron, '* * * * *')
    assert.equal(job?.transaction, false)
    await job!.handler(systemCtx(db, clock), {}, {} as never)
    assert.equal((await audit.verify(db)).unsealed, 0)
  })
})

import assert from 'node:assert/strict'
import { it } from 'node:test'
import { sql } from 'kysely'
import { describeEachDatabase } from '../../../test/database'
import { createAuditLog } from '../../platform/audit/index'
import { createTestClock } from '../../platform/clock'
import { systemCtx } from '../../platform/context'
import { auditSealCommand, auditVerifyCommand } from './audit'

const clock = createTestClock()
const audit = createAuditLog({ clock })

function capture() {
  let text = ''
  return { out: { write: (s: string) => (text += s) }, text: () => text }
}

describeEachDatabase('oqu audit verify / seal', (get) => {
  it('prints OK with the counts and exits 0 on an intact chain', async () => {
    const { db } = get()
    for (const n of [1, 2, 3]) await audit.record(systemCtx(db, clock), { action: 'test.happened', data: { n } })
    const sealed = capture()
    assert.equal(await auditSealCommand(db, sealed.out, audit, { batchSize: 2 }), 0)
    assert.match(sealed.text(), /^Sealed 3 entries; the chain ends at seq 3 /)
    await audit.record(systemCtx(db, clock), { action: 'test.happened' })
    const verified = capture()
    assert.equal(await auditVerifyCommand(db, verified.out, audit), 0)
    assert.equal(verified.text(), 'OK: 3 entries verified, 1 not yet sealed\n')
  })

  it('prints the first bad entry and exits 1 on a broken chain', async () => {
    const { db } = get()
    const row = await db.selectFrom('audit_log').select('id').where('seq', '=', '2').executeTakeFirstOrThrow()
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`.execute(db)
    await sql`UPDATE audit_log SET action = 'test.forged' WHERE seq = 2`.execute(db)
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`.execute(db)
    const verified = capture()
    assert.equal(await auditVerifyCommand(db, verified.out, audit), 1)
    assert.match(verified.text(), new RegExp(`^FAILED at seq 2 \\(row id ${row.id}\\): hash mismatch`))
  })
})

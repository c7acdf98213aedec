/**
 * Complaints to the DPO (T-5.1.5): a signed-in person files one from the
 * privacy centre; the DPO sees them on the desk and closes them. The text is
 * encrypted under the complainant's data key (field `privacy.complaint.<id>`);
 * the audit log names the complaint by id only; the DPO's reading is audited.
 */
import { randomUUID } from 'node:crypto'
import type { AuditLog } from '../../platform/audit/index'
import { inTransaction, type Ctx } from '../../platform/context'
import type { FieldCrypto } from '../../platform/crypto/index'
import type { Db } from '../../platform/db/database'
import { ComplaintInvalidError } from './privacy.errors'
import type { ComplaintStatus, PrivacyTables } from './privacy.tables'

export interface Complaint {
  id: string
  subjectId: string
  createdAt: Date
  status: ComplaintStatus
  closedAt: Date | null
  text: string
}

export interface ComplaintsService {
  file(ctx: Ctx, input: { subjectId: string; text: string }): Promise<{ id: string }>
  /** The subject's own complaints, newest first. */
  mine(ctx: Ctx, subjectId: string): Promise<Omit<Complaint, 'text'>[]>
  /** For the DPO: complaints newest first, decrypted (the reading is audited). */
  forDpo(ctx: Ctx, options?: { limit?: number }): Promise<Complaint[]>
  close(ctx: Ctx, id: string): Promise<void>
}

const field = (id: string) => `privacy.complaint.${id}`
const tables = (db: Db) => db.withTables<PrivacyTables>()
const COLUMNS = ['id', 'subject_id', 'created_at', 'status', 'closed_at'] as const

export function createComplaintsService(deps: {
  audit: Pick<AuditLog, 'record'>
  crypto: Pick<FieldCrypto, 'encryptField' | 'decryptField'>
}): ComplaintsService {
  return {
    async file(ctx, input) {
      const text = input.text.replace(/\r\n?/g, '\n').normalize('NFC').trim()
      if ([...text].length < 10 || [...text].length > 5000) throw new ComplaintInvalidError()
      const id = randomUUID()
      return inTransaction(ctx, async (tx) => {
        const body = await deps.crypto.encryptField(tx.db, { subjectId: input.subjectId, field: field(id) }, text)
        await tables(tx.db)
          .insertInto('privacy_complaints')
          .values({
            id,
            subject_id: input.subjectId,
            created_at: tx.now,
            status: 'open',
            body_ciphertext: body,
            closed_at: null,
          })
          .execute()
        await deps.audit.record(tx, {
          action: 'privacy.complaint_filed',
          subjectType: 'user',
          subjectId: input.subjectId,
          targetType: 'complaint',
          targetId: id,
          data: {},
        })
        return { id }
      })
    },
    async mine(ctx, subjectId) {
      const rows = await tables(ctx.db)
        .selectFrom('privacy_complaints')
        .select(COLUMNS)
        .where('subject_id', '=', subjectId)
        .orderBy('created_at', 'desc')
        .execute()
      return rows.map((r) => ({
        id: r.id,
        subjectId: r.subject_id,
        createdAt: r.created_at,
        status: r.status,
        closedAt: r.closed_at,
      }))
    },
    async forDpo(ctx, options = {}) {
      const rows = await tables(ctx.db)
        .selectFrom('privacy_complaints')
        .select([...COLUMNS, 'body_ciphertext'])
        .orderBy('created_at', 'desc')
        .limit(options.limit ?? 50)
        .execute()
      const out: Complaint[] = []
      for (const r of rows) {
        let text: string
        try {
          text = await deps.crypto.decryptField(
            ctx.db,
            { subjectId: r.subject_id, field: field(r.id) },
            r.body_ciphertext,
          )
        } catch {
          text = '—'
        }
        out.push({
          id: r.id,
          subjectId: r.subject_id,
          createdAt: r.created_at,
          status: r.status,
          closedAt: r.closed_at,
          text,
        })
      }
      if (out.length > 0)
        await deps.audit.record(ctx, {
          action: 'privacy.complaints_viewed',
          targetType: 'complaint',
          data: { count: out.length },
        })
      return out
    },
    async close(ctx, id) {
      await inTransaction(ctx, async (tx) => {
        await tables(tx.db)
          .updateTable('privacy_complaints')
          .set({ status: 'closed', closed_at: tx.now })
          .where('id', '=', id)
          .where('status', '=', 'open')
          .execute()
        await deps.audit.record(tx, {
          action: 'privacy.complaint_closed',
          targetType: 'complaint',
          targetId: id,
          data: {},
        })
      })
    },
  }
}

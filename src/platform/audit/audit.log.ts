/**
 * The audit log service. `record` writes in the caller's transaction
 * (`ctx.db`), so an entry commits or rolls back with the change it
 * describes; `seal` links committed entries into the hash chain; `verify`
 * checks the chain.
 */
import { systemClock, type Clock } from '../clock'
import type { Ctx } from '../context'
import type { Db } from '../db/database'
import type { Logger } from '../logger'
import { checkAction, checkAuditData, checkReference } from './audit.guard'
import { sealAuditLog, type SealOptions, type SealResult } from './audit.sealer'
import type { AuditData } from './audit.tables'
import { verifyAuditLog, type VerifyResult } from './audit.verify'

export interface AuditEvent {
  /** Dotted, past tense: `consent.withdrawn`. */
  action: string
  /** Whose personal data the event concerns (by id, never by e-mail, name, phone or IIN). */
  subjectType?: string
  subjectId?: string
  /** The record acted on, e.g. `consent_entry` + its id. */
  targetType?: string
  targetId?: string
  /** Small flat facts (ids, codes, counts); refused when they look like personal data. */
  data?: AuditData
}

export interface AuditLog {
  /** Appends an entry in ctx.db's transaction; throws AuditEventError for a bad or personal payload. */
  record(ctx: Ctx, event: AuditEvent): Promise<{ id: string }>
  /** Links committed entries into the hash chain (run periodically; safe to re-run). */
  seal(db: Db, options?: SealOptions): Promise<SealResult>
  /** Recomputes the chain; reports the first bad entry and how many are not yet sealed. */
  verify(db: Db): Promise<VerifyResult>
}

export interface AuditLogDeps {
  clock?: Clock
  logger?: Logger
}

/** Validates an event before anything is written. */
function checkEvent(event: AuditEvent): void {
  checkAction(event.action)
  checkReference('subject', event.subjectType, event.subjectId)
  checkReference('target', event.targetType, event.targetId)
  if (event.data !== undefined) checkAuditData(event.data)
}

/** Builds the audit log service. */
export function createAuditLog(deps: AuditLogDeps = {}): AuditLog {
  const clock = deps.clock ?? systemClock
  const logger = deps.logger
  return {
    async record(ctx, event) {
      checkEvent(event)
      const row = await ctx.db
        .insertInto('audit_log')
        .values({
          occurred_at: ctx.now,
          action: event.action,
          actor_kind: ctx.actor?.kind ?? 'anonymous',
          actor_id: ctx.actor?.id ?? null,
          subject_type: event.subjectType ?? null,
          subject_id: event.subjectId ?? null,
          target_type: event.targetType ?? null,
          target_id: event.targetId ?? null,
          request_id: ctx.requestId,
          ip: ctx.ip,
          data: JSON.stringify(event.data ?? {}),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      return { id: String(row.id) }
    },

    async seal(db, options) {
      const result = await sealAuditLog(db, () => clock.now(), options)
      // Logging the head anchors the chain outside the database: a rewritten
      // chain would no longer match the hashes already in the logs.
      if (result.sealed > 0)
        logger?.info({ sealed: result.sealed, seq: result.lastSeq, hash: result.lastHash }, 'audit log sealed')
      return result
    },

    async verify(db) {
      const result = await verifyAuditLog(db)
      if (!result.ok) logger?.error({ firstBad: result.firstBad }, 'audit chain verification failed')
      return result
    },
  }
}

/**
 * Closing the account (T-1.2: a person who does not accept the policy must
 * stop using the site; T-5.1.3, B-2.5: withdrawal may end the agreement).
 * The same signed act as a withdrawal (withdrawal.service.ts): confirmed by
 * the person's password, refused with the reasons when an unfulfilled
 * obligation prevents it (law Art. 8(2)), recorded in the ledger as a signed
 * `consent_withdrawn` with effect `close_account` and its Art. 8(4) receipt.
 * In the same transaction the accounts module closes the account (status
 * `closed`, every session ended: nobody signs in to it again) and the
 * account is handed over to retention (`account_closures`): the closure time
 * and the date the profile's rule stops keeping the data (retention.ts). The
 * purge itself is a later issue; it reads that date. Audit: ids only.
 */
import type { AuditLog } from '../../platform/audit/index'
import { inTransaction, type Ctx, type Locale } from '../../platform/context'
import type { Db } from '../../platform/db/database'
import type { ConsentRecord, ConsentService } from './consents.service'
import type { PolicyService } from './policies.service'
import { AccountNotOpenError } from './privacy.errors'
import type { AccountClosuresTable, PrivacyTables } from './privacy.tables'
import type { Profile } from './profiles'
import { retentionUntil } from './retention'
import { confirmSignedAct, recordSignedWithdrawal } from './withdrawal.service'

/** The effect recorded in the ledger evidence of a closure. */
export const CLOSE_ACCOUNT = 'close_account'

export interface AccountClosure {
  subjectId: string
  closedAt: Date
  consentId: string
  retentionFrom: AccountClosuresTable['retention_from']
  retentionYears: number
  /** `YYYY-MM-DD` (Almaty): from this date the retention rule no longer keeps the data. */
  retentionUntil: string
}

export interface ClosureDeps {
  profile: Profile
  audit: Pick<AuditLog, 'record'>
  consents: Pick<ConsentService, 'recordDecision'>
  policies: Pick<PolicyService, 'currentPolicy'>
  verifyPassword(ctx: Ctx, userId: string, password: string): Promise<boolean>
  /** Message keys of what prevents it now (the same hook as withdrawal; default: nothing). */
  obligations?(ctx: Ctx, subjectId: string): Promise<string[]>
  /**
   * Closes the account in the caller's transaction (the accounts module): status `closed`, every session
   * ended; false when the account is not active.
   */
  closeAccount(ctx: Ctx, userId: string): Promise<boolean>
}

export interface ClosureService {
  /** What closing now would mean: the reasons that prevent it, and the date the retention rule would apply. */
  preview(ctx: Ctx, subjectId: string): Promise<{ reasons: string[]; retentionUntil: string }>
  /** Closes the signed-in person's own account (password-confirmed); returns the signed record and the hand-over. */
  close(
    ctx: Ctx,
    input: { subjectId: string; password: string; locale: Locale },
  ): Promise<{ record: ConsentRecord; closure: AccountClosure }>
  /** The retention hand-over of a closed account, if it was closed here. */
  closureOf(db: Db, subjectId: string): Promise<AccountClosure | undefined>
}

const tables = (db: Db) => db.withTables<PrivacyTables>()

const toClosure = (r: AccountClosuresTable): AccountClosure => ({
  subjectId: r.subject_id,
  closedAt: r.closed_at,
  consentId: r.consent_id,
  retentionFrom: r.retention_from,
  retentionYears: r.retention_years,
  retentionUntil: r.retention_until,
})

export function createClosureService(deps: ClosureDeps): ClosureService {
  const { profile, audit } = deps
  // Not accepting a policy (T-1.2 / B-1.2, the first notice clause), the withdrawal and the retention rule.
  const clauses = [
    ...new Set([...profile.notice.clauses.slice(0, 1), ...profile.withdrawal.clauses, ...profile.retention.clauses]),
  ]

  return {
    async preview(ctx, subjectId) {
      return {
        reasons: (await deps.obligations?.(ctx, subjectId)) ?? [],
        retentionUntil: retentionUntil(profile, ctx.now),
      }
    },

    async close(ctx, input) {
      await confirmSignedAct(
        deps,
        ctx,
        { subjectId: input.subjectId, decider: input.subjectId, password: input.password },
        { unconfirmed: 'account.closure_unconfirmed', refused: 'account.closure_refused' },
      )
      return inTransaction(ctx, async (tx) => {
        const record = await recordSignedWithdrawal(deps, tx, {
          subjectId: input.subjectId,
          locale: input.locale,
          effect: CLOSE_ACCOUNT,
          clauses,
        })
        if (!(await deps.closeAccount(tx, input.subjectId))) throw new AccountNotOpenError()
        const row: AccountClosuresTable = {
          subject_id: input.subjectId,
          closed_at: tx.now,
          consent_id: record.id,
          retention_from: profile.retention.from,
          retention_years: profile.retention.years,
          retention_until: retentionUntil(profile, tx.now),
        }
        await tables(tx.db).insertInto('account_closures').values(row).execute()
        await audit.record(tx, {
          action: 'account.closed',
          subjectType: 'user',
          subjectId: input.subjectId,
          targetType: 'consent',
          targetId: record.id,
          data: { retentionYears: row.retention_years },
        })
        return { record, closure: toClosure(row) }
      })
    },

    async closureOf(db, subjectId) {
      const row = await tables(db)
        .selectFrom('account_closures')
        .select(['subject_id', 'closed_at', 'consent_id', 'retention_from', 'retention_years', 'retention_until'])
        .where('subject_id', '=', subjectId)
        .executeTakeFirst()
      return row && toClosure(row)
    },
  }
}

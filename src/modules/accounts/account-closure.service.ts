/**
 * Closing an account (issue 4, T-1.2: a person who does not accept the
 * policy stops using the site). The accounts side of the act the privacy
 * module records and signs (privacy's closure.service.ts calls `close`
 * inside its transaction): the status becomes `closed` — a tombstone of
 * id, status and dates that the audit log and the consent ledger point at —
 * every open session ends (reason `revoked`: ended by the person), and the
 * roles go (the data map: "deleted with the account's roles when it is
 * closed"). A closed account never signs in again: the right password gets
 * `AccountClosedError`, anything else the usual generic failure, so nobody
 * learns of a closed account without its password. Audit: ids and counts.
 */
import type { AuditLog } from '../../platform/audit/index'
import { inTransaction, type Ctx } from '../../platform/context'
import { AccountsError } from './accounts.errors'
import type { AccountTables } from './accounts.tables'
import type { GuardiansService } from './guardians.service'
import type { SessionsService } from './sessions.service'

/** The right password of a closed account: said plainly, only to whoever knows the password. */
export class AccountClosedError extends AccountsError {
  override name = 'AccountClosedError'
  constructor() {
    super('accounts.account_closed', 'This account is closed', 403)
  }
}

export interface AccountClosureDeps {
  audit: Pick<AuditLog, 'record'>
  sessions: Pick<SessionsService, 'revokeAll'>
  /** Ends the person's live guardian links, either side (a child left without a consenting guardian is restricted again). */
  guardians: Pick<GuardiansService, 'endLinksOf'>
}

export interface AccountClosureService {
  /** Closes an active account in the caller's transaction; false (and nothing changed) when it is not active. */
  close(ctx: Ctx, userId: string): Promise<boolean>
}

export function createAccountClosureService(deps: AccountClosureDeps): AccountClosureService {
  return {
    async close(ctx, userId) {
      return inTransaction(ctx, async (tx) => {
        const db = tx.db.withTables<AccountTables>()
        const closed = await db
          .updateTable('users')
          .set({ status: 'closed', updated_at: tx.now })
          .where('id', '=', userId)
          .where('status', '=', 'active')
          .returning('id')
          .executeTakeFirst()
        if (!closed) return false
        const sessions = await deps.sessions.revokeAll(tx, { userId, reason: 'revoked' })
        const roles = await db.deleteFrom('user_roles').where('user_id', '=', userId).executeTakeFirst()
        const guardianLinks = await deps.guardians.endLinksOf(tx, userId)
        await deps.audit.record(tx, {
          action: 'account.status_closed',
          subjectType: 'user',
          subjectId: userId,
          data: { sessions, roles: Number(roles.numDeletedRows), guardianLinks },
        })
        return true
      })
    },
  }
}

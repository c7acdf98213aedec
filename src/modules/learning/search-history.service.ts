/**
 * The learner's catalogue search history (B-2.2): kept only while the
 * learner's consent for that purpose is on (an injected check that says "no"
 * until the consent purposes exist), each query encrypted under the learner's
 * data key, the newest 50 kept; the learner sees it on /learn and clears it.
 */
import { randomUUID } from 'node:crypto'
import type { AuditLog } from '../../platform/audit/index'
import { inTransaction, type Ctx } from '../../platform/context'
import type { FieldCrypto } from '../../platform/crypto/index'
import { isLearner } from './learning.policies'
import * as repo from './progress.repository'

/** Field name of a query's ciphertext (bound into its AAD). */
export const SEARCH_QUERY_FIELD = 'learning.search_query'
/** How many queries the history keeps. */
export const SEARCH_HISTORY_KEEP = 50

export type AllowsSearchHistory = (ctx: Ctx, userId: string) => Promise<boolean>

/** Until the search-history consent exists, nothing is kept. */
export const noSearchHistory: AllowsSearchHistory = async () => false

export interface SearchHistoryDeps {
  audit: Pick<AuditLog, 'record'>
  crypto: Pick<FieldCrypto, 'encryptField' | 'decryptField'>
  allowsSearchHistory?: AllowsSearchHistory
}

export interface SearchHistory {
  /** Keeps the signed-in learner's query if their consent allows; returns whether it was kept. */
  record(ctx: Ctx, query: string): Promise<boolean>
  /** The learner's own queries, newest first. */
  list(ctx: Ctx): Promise<{ query: string; searchedAt: Date }[]>
  /** Deletes the learner's whole history; returns how many queries went. */
  clear(ctx: Ctx): Promise<number>
  /** Whether queries are being kept for the learner now. */
  enabled(ctx: Ctx): Promise<boolean>
}

export function createSearchHistory(deps: SearchHistoryDeps): SearchHistory {
  const allows = deps.allowsSearchHistory ?? noSearchHistory
  return {
    async enabled(ctx) {
      return isLearner(ctx.actor) && (await allows(ctx, ctx.actor.id))
    },

    async record(ctx, query) {
      const q = query.trim().slice(0, 200)
      if (q === '' || !isLearner(ctx.actor)) return false
      const userId = ctx.actor.id
      if (!(await allows(ctx, userId))) return false
      await inTransaction(ctx, async (tx) => {
        const ciphertext = await deps.crypto.encryptField(tx.db, { subjectId: userId, field: SEARCH_QUERY_FIELD }, q)
        await repo.insertSearchQuery(tx.db, { id: randomUUID(), userId, ciphertext, now: tx.now })
        await repo.trimSearchQueries(tx.db, userId, SEARCH_HISTORY_KEEP)
      })
      return true
    },

    async list(ctx) {
      if (!isLearner(ctx.actor)) return []
      const userId = ctx.actor.id
      const rows = await repo.searchQueries(ctx.db, userId, SEARCH_HISTORY_KEEP)
      const out = []
      for (const r of rows)
        out.push({
          query: await deps.crypto.decryptField(
            ctx.db,
            { subjectId: userId, field: SEARCH_QUERY_FIELD },
            r.query_ciphertext,
          ),
          searchedAt: r.searched_at,
        })
      return out
    },

    async clear(ctx) {
      if (!isLearner(ctx.actor)) return 0
      const userId = ctx.actor.id
      return inTransaction(ctx, async (tx) => {
        const n = await repo.deleteSearchQueries(tx.db, userId)
        await deps.audit.record(tx, {
          action: 'search_history.cleared',
          subjectType: 'user',
          subjectId: userId,
          data: { count: n },
        })
        return n
      })
    },
  }
}

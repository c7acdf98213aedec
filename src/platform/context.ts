/**
 * Ctx: what every request (and every job, and every CLI command) carries.
 * `db` is the open transaction when writing, so audit entries and the change
 * they describe commit or roll back together.
 */
import { randomUUID } from 'node:crypto'
import type { Clock } from './clock'
import type { Db } from './db/database'

export type Locale = 'kk' | 'ru' | 'en'
export const LOCALES: readonly Locale[] = ['kk', 'ru', 'en']
export const DEFAULT_LOCALE: Locale = 'kk'

export type Role = 'learner' | 'guardian' | 'instructor' | 'support' | 'dpo' | 'admin'

export interface Actor {
  /** `user` for a signed-in person; `system` for jobs and CLI. */
  kind: 'user' | 'system'
  id: string
  roles: readonly Role[]
  /**
   * Set when the person may do nothing beyond the essentials: a minor
   * awaiting a guardian's consent, or a person turned 18 who has not yet
   * consented personally (accounts/minors.ts). Processing refuses such an actor.
   */
  restricted?: 'awaiting_guardian' | 'personal_consent_due'
}

export interface Ctx {
  actor: Actor | null
  requestId: string
  ip: string | null
  userAgent: string | null
  locale: Locale
  now: Date
  db: Db
}

export const SYSTEM_ACTOR: Actor = { kind: 'system', id: 'system', roles: [] }

/** A Ctx for work that is not an HTTP request: jobs, CLI commands, start-up. */
export function systemCtx(db: Db, clock: Clock, requestId: string = `sys-${randomUUID()}`): Ctx {
  return { actor: SYSTEM_ACTOR, requestId, ip: null, userAgent: null, locale: DEFAULT_LOCALE, now: clock.now(), db }
}

/** Runs `fn` in a transaction; the Ctx it receives carries the transaction as `db`. */
export async function inTransaction<T>(ctx: Ctx, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx)
  return ctx.db.transaction().execute((trx) => fn({ ...ctx, db: trx }))
}

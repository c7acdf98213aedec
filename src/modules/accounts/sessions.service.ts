/**
 * Server-side sessions. A session is named by a 32-byte random token that
 * lives only in the person's cookie; the table keeps its SHA-256, so a copy
 * of the database signs nobody in. Each sign-in makes a new token (rotation).
 * A session ends when revoked, after an idle period, or at an absolute
 * limit — shorter for staff. Ended sessions remain the person's login
 * history (B-2.2) for LOGIN_HISTORY_DAYS, then a job deletes them.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { AuditLog } from '../../platform/audit/index'
import { inTransaction, type Ctx, type Role } from '../../platform/context'
import type { FieldCrypto } from '../../platform/crypto/index'
import { STAFF_ROLES, type DeviceType, type RevokeReason, type SessionKind } from './accounts.tables'
import { rolesOf } from './accounts.repository'
import { ageFactsOf } from './guardians.repository'
import { restrictionOf, type Restriction } from './minors'

const NO_AGE_FACTS = { adult_on: null, guardian_state: null }
const restrictedPart = (restricted: Restriction | undefined) => (restricted ? { restricted } : {})
import { maskIp } from './ip-addresses'
import {
  deleteEndedSessions,
  findLiveSession,
  findSessionOwner,
  insertSession,
  listUserSessions,
  passSecondFactor,
  revokeAllSessions,
  revokeOtherSessions,
  revokeSession,
  touchSession,
  type SessionHistoryRow,
} from './sessions.repository'
import { summariseUserAgent } from './user-agents'

/** Field name of the encrypted sign-in IP (part of the ciphertext's AAD: never change it). */
export const SESSION_IP_FIELD = 'accounts.session_ip'
/** How long ended sessions stay visible as login history before they are deleted. */
export const LOGIN_HISTORY_DAYS = 90
/** last_seen_at is written at most this often per session. */
export const TOUCH_INTERVAL_MS = 60_000

const HOUR = 3_600_000
const DAY = 24 * HOUR
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const HISTORY_LIMIT = 100
/** How long a half-signed-in staff session may wait for its second factor. */
export const SECOND_FACTOR_WAIT_MS = 15 * 60_000

/** Idle and absolute lifetimes per kind of session. */
export type SessionLifetimes = Record<SessionKind, { idleMs: number; absoluteMs: number }>

export const DEFAULT_LIFETIMES: SessionLifetimes = {
  standard: { idleMs: 7 * DAY, absoluteMs: 30 * DAY },
  staff: { idleMs: 1 * HOUR, absoluteMs: 12 * HOUR },
}

/**
 * Where a session stands with the second factor: `not_required` (not a
 * staff session), `pending` (a staff session half signed in: only the code
 * or enrolment page), `passed`.
 */
export type SecondFactorState = 'not_required' | 'pending' | 'passed'

/** The signed-in session of a request. */
export interface CurrentSession {
  id: string
  userId: string
  roles: Role[]
  kind: SessionKind
  createdAt: Date
  absoluteExpiresAt: Date
  secondFactor: SecondFactorState
  /** A minor awaiting a guardian, or an adult whose personal consent is due (minors.ts). */
  restricted?: Restriction
}

export interface StartedSession extends CurrentSession {
  /** The cookie value; shown once, never stored. */
  token: string
}

export type SessionState = 'active' | 'expired' | RevokeReason

/** One row of "your sessions": enough to recognise a device, never the token or the full IP. */
export interface SessionView {
  id: string
  current: boolean
  state: SessionState
  createdAt: Date
  lastSeenAt: Date
  endedAt: Date | null
  browser: string | null
  os: string | null
  device: DeviceType
  maskedIp: string
}

export interface SessionsServiceDeps {
  audit: Pick<AuditLog, 'record'>
  crypto: Pick<FieldCrypto, 'encryptField' | 'decryptField'>
  lifetimes?: SessionLifetimes
}

export interface SessionsService {
  /** Opens a session for a signed-in user (audited `session.created`); `replacing` is revoked as `replaced`. */
  start(ctx: Ctx, input: { userId: string; replacing?: CurrentSession | null }): Promise<StartedSession>
  /** The live session of a cookie token, touched at most once a minute; undefined when unknown or ended. */
  resolve(ctx: Ctx, token: string): Promise<CurrentSession | undefined>
  /** Who a session belongs to (for the policy check before acting on it); undefined for an unknown id. */
  owner(ctx: Ctx, sessionId: string): Promise<{ id: string; userId: string } | undefined>
  /** Ends one of the user's sessions (audited `session.revoked`); false when it is not theirs or already ended. */
  revoke(ctx: Ctx, input: { userId: string; sessionId: string; reason: RevokeReason }): Promise<boolean>
  /** Ends every open session of the user (audited, with the reason); returns how many. */
  revokeAll(ctx: Ctx, input: { userId: string; reason: RevokeReason }): Promise<number>
  /** Ends every other open session of the user; returns how many. */
  revokeOthers(ctx: Ctx, input: { userId: string; keepSessionId: string }): Promise<number>
  /** The user's sessions, open ones and the login history, newest first. */
  list(ctx: Ctx, input: { userId: string; currentSessionId?: string }): Promise<SessionView[]>
  /** Deletes sessions that ended more than LOGIN_HISTORY_DAYS ago. */
  purgeEnded(ctx: Ctx): Promise<number>
  /**
   * A half-signed-in staff session passed its second factor (in ctx's
   * transaction): a new token replaces the old one (audited
   * `session.second_factor_passed`). Undefined when the session is no longer
   * open or waited too long (SECOND_FACTOR_WAIT_MS).
   */
  passSecondFactor(ctx: Ctx, session: CurrentSession): Promise<StartedSession | undefined>
}

/** SHA-256 of a session token, hex: what the table stores. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/** Staff sessions (support, dpo, admin) follow the short lifetimes. */
export function sessionKindFor(roles: readonly Role[]): SessionKind {
  return roles.some((r) => STAFF_ROLES.includes(r)) ? 'staff' : 'standard'
}

const later = (from: Date, ms: number) => new Date(from.getTime() + ms)
const earliest = (a: Date, b: Date) => (a.getTime() <= b.getTime() ? a : b)

function secondFactorOf(kind: SessionKind, passedAt: Date | null): SecondFactorState {
  if (kind !== 'staff') return 'not_required'
  return passedAt ? 'passed' : 'pending'
}

function stateOf(row: SessionHistoryRow, now: Date): SessionState {
  if (row.revoked_reason) return row.revoked_reason
  return row.idle_expires_at > now && row.absolute_expires_at > now ? 'active' : 'expired'
}

function endOf(row: SessionHistoryRow, state: SessionState): Date | null {
  if (state === 'active') return null
  return row.revoked_at ?? earliest(row.idle_expires_at, row.absolute_expires_at)
}

/** Builds the sessions service. All times come from `ctx.now`. */
export function createSessionsService(deps: SessionsServiceDeps): SessionsService {
  const { audit, crypto } = deps
  const lifetimes = deps.lifetimes ?? DEFAULT_LIFETIMES

  const recordRevoked = (tx: Ctx, userId: string, sessionId: string, reason: RevokeReason) =>
    audit.record(tx, {
      action: 'session.revoked',
      subjectType: 'user',
      subjectId: userId,
      targetType: 'session',
      targetId: sessionId,
      data: { reason },
    })

  async function revealIp(ctx: Ctx, row: SessionHistoryRow): Promise<string> {
    if (!row.ip_ciphertext) return maskIp(null)
    try {
      const ip = await crypto.decryptField(
        ctx.db,
        { subjectId: row.user_id, field: SESSION_IP_FIELD },
        row.ip_ciphertext,
      )
      return maskIp(ip)
    } catch {
      return maskIp(null) // erased (crypto-shredded) or unreadable: show nothing rather than fail the page
    }
  }

  return {
    async start(ctx, input) {
      const token = randomBytes(32).toString('base64url')
      const id = randomUUID()
      const agent = summariseUserAgent(ctx.userAgent)
      return inTransaction(ctx, async (outer) => {
        const roles = await rolesOf(outer.db, input.userId)
        // The person has just proved who they are: the audit entries name them as the actor.
        const tx: Ctx = { ...outer, actor: { kind: 'user', id: input.userId, roles } }
        const kind = sessionKindFor(roles)
        const { idleMs, absoluteMs } = lifetimes[kind]
        const absoluteExpiresAt = later(tx.now, absoluteMs)
        const old = input.replacing
        if (old && (await revokeSession(tx.db, { id: old.id, userId: old.userId, now: tx.now, reason: 'replaced' })))
          await recordRevoked(tx, old.userId, old.id, 'replaced')
        const ref = { subjectId: input.userId, field: SESSION_IP_FIELD }
        const ipCiphertext = tx.ip ? await crypto.encryptField(tx.db, ref, tx.ip) : null
        await insertSession(tx.db, {
          id,
          userId: input.userId,
          tokenHash: hashSessionToken(token),
          kind,
          now: tx.now,
          idleExpiresAt: earliest(later(tx.now, idleMs), absoluteExpiresAt),
          absoluteExpiresAt,
          ipCiphertext,
          ...agent,
        })
        await audit.record(tx, {
          action: 'session.created',
          subjectType: 'user',
          subjectId: input.userId,
          targetType: 'session',
          targetId: id,
          data: { kind },
        })
        const secondFactor = secondFactorOf(kind, null)
        return { id, userId: input.userId, roles, kind, createdAt: tx.now, absoluteExpiresAt, secondFactor, token }
      })
    },

    async resolve(ctx, token) {
      if (!TOKEN_FORMAT.test(token)) return undefined
      const row = await findLiveSession(ctx.db, hashSessionToken(token), ctx.now)
      if (!row) return undefined
      const roles = await rolesOf(ctx.db, row.user_id)
      // A staff role granted after sign-in: the long-lived session does not carry it; sign in again.
      if (sessionKindFor(roles) === 'staff' && row.kind !== 'staff') return undefined
      const secondFactor = secondFactorOf(row.kind, row.second_factor_at)
      // A half-signed-in session waits a quarter of an hour for its code at most.
      if (secondFactor === 'pending' && ctx.now.getTime() - row.created_at.getTime() >= SECOND_FACTOR_WAIT_MS)
        return undefined
      if (ctx.now.getTime() - row.last_seen_at.getTime() >= TOUCH_INTERVAL_MS) {
        const idleExpiresAt = earliest(later(ctx.now, lifetimes[row.kind].idleMs), row.absolute_expires_at)
        await touchSession(ctx.db, { id: row.id, userId: row.user_id, now: ctx.now, idleExpiresAt })
      }
      return {
        id: row.id,
        userId: row.user_id,
        roles,
        kind: row.kind,
        createdAt: row.created_at,
        absoluteExpiresAt: row.absolute_expires_at,
        secondFactor,
        ...restrictedPart(restrictionOf((await ageFactsOf(ctx.db, row.user_id)) ?? NO_AGE_FACTS, ctx.now)),
      }
    },

    async passSecondFactor(ctx, session) {
      const token = randomBytes(32).toString('base64url')
      return inTransaction(ctx, async (tx) => {
        const done = await passSecondFactor(tx.db, {
          id: session.id,
          userId: session.userId,
          tokenHash: hashSessionToken(token),
          now: tx.now,
          startedAfter: later(tx.now, -SECOND_FACTOR_WAIT_MS),
        })
        if (!done) return undefined
        await audit.record(tx, {
          action: 'session.second_factor_passed',
          subjectType: 'user',
          subjectId: session.userId,
          targetType: 'session',
          targetId: session.id,
        })
        return { ...session, secondFactor: 'passed' as const, token }
      })
    },

    async owner(ctx, sessionId) {
      if (!UUID.test(sessionId)) return undefined
      const row = await findSessionOwner(ctx.db, sessionId)
      return row ? { id: row.id, userId: row.user_id } : undefined
    },

    async revoke(ctx, input) {
      return inTransaction(ctx, async (tx) => {
        const { userId, sessionId, reason } = input
        const done = await revokeSession(tx.db, { id: sessionId, userId, reason, now: tx.now })
        if (done) await recordRevoked(tx, userId, sessionId, reason)
        return done
      })
    },

    async revokeOthers(ctx, input) {
      return inTransaction(ctx, async (tx) => {
        const ids = await revokeOtherSessions(tx.db, {
          userId: input.userId,
          keepId: input.keepSessionId,
          now: tx.now,
          reason: 'revoked_others',
        })
        for (const id of ids) await recordRevoked(tx, input.userId, id, 'revoked_others')
        return ids.length
      })
    },

    async revokeAll(ctx, input) {
      return inTransaction(ctx, async (tx) => {
        const ids = await revokeAllSessions(tx.db, { userId: input.userId, now: tx.now, reason: input.reason })
        for (const id of ids) await recordRevoked(tx, input.userId, id, input.reason)
        return ids.length
      })
    },

    async list(ctx, input) {
      const since = later(ctx.now, -LOGIN_HISTORY_DAYS * DAY)
      const rows = await listUserSessions(ctx.db, { userId: input.userId, since, now: ctx.now, limit: HISTORY_LIMIT })
      return Promise.all(
        rows.map(async (row): Promise<SessionView> => {
          const state = stateOf(row, ctx.now)
          return {
            id: row.id,
            current: row.id === input.currentSessionId && state === 'active',
            state,
            createdAt: row.created_at,
            lastSeenAt: row.last_seen_at,
            endedAt: endOf(row, state),
            browser: row.browser,
            os: row.os,
            device: row.device,
            maskedIp: await revealIp(ctx, row),
          }
        }),
      )
    },

    async purgeEnded(ctx) {
      return deleteEndedSessions(ctx.db, later(ctx.now, -LOGIN_HISTORY_DAYS * DAY))
    },
  }
}

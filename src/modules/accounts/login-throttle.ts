/**
 * Lockout after repeated failed sign-ins, per identifier and per IP. The
 * identifier counter is keyed by what was typed (normalised), not by the
 * account, so an unknown address locks exactly like a known one and the
 * lock reveals nothing. The IP limit is higher: a whole school class may
 * share one address. Keys are HMACs: the table never holds an address,
 * number or IP in clear.
 */
import type { FieldCrypto } from '../../platform/crypto/index'
import type { Db } from '../../platform/db/database'
import type { ThrottleScope } from './accounts.tables'
import {
  clearKey,
  countFailure,
  deleteStaleThrottles,
  findLock,
  lockKey,
  type ThrottleKey,
} from './login-throttles.repository'

/** Blind-index purpose of throttle keys. */
export const THROTTLE_PURPOSE = 'accounts.login_throttle'

const MINUTE = 60_000

export interface ThrottleRule {
  /** Failures within `windowMs` that trigger a lock. */
  maxFailures: number
  windowMs: number
  lockMs: number
}

export const DEFAULT_THROTTLE_RULES: Record<ThrottleScope, ThrottleRule> = {
  identifier: { maxFailures: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE },
  ip: { maxFailures: 20, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE },
}

export interface LoginThrottle {
  /**
   * The HMAC keys for a normalised identifier (e.g. `email:a@b.kz`) and the
   * request's IP. A `namespace` (e.g. `reset`) counts something other than
   * sign-in failures, separately from them.
   */
  keysFor(identifier: string, ip: string | null, namespace?: string): ThrottleKey[]
  /** Until when any of the keys is locked, or undefined. */
  lockedUntil(db: Db, keys: readonly ThrottleKey[], now: Date): Promise<Date | undefined>
  /** Counts a failure on every key; returns the lock that it triggered, if any. */
  fail(db: Db, keys: readonly ThrottleKey[], now: Date): Promise<Date | undefined>
  /** Forgets the identifier's failures after a successful sign-in (the IP's count stays). */
  succeed(db: Db, keys: readonly ThrottleKey[]): Promise<void>
  /** Deletes counters untouched for a day. */
  purge(db: Db, now: Date): Promise<number>
}

/** Builds the throttle with the given rules (tests may pass smaller ones). */
export function createLoginThrottle(deps: {
  crypto: Pick<FieldCrypto, 'blindIndex'>
  rules?: Record<ThrottleScope, ThrottleRule>
}): LoginThrottle {
  const rules = deps.rules ?? DEFAULT_THROTTLE_RULES
  const key = (scope: ThrottleScope, value: string, namespace?: string): ThrottleKey => ({
    scope,
    keyHash: deps.crypto.blindIndex(
      namespace ? `${scope}|${namespace}|${value}` : `${scope}|${value}`,
      THROTTLE_PURPOSE,
    ),
  })

  return {
    keysFor: (identifier, ip, namespace) => [
      key('identifier', identifier, namespace),
      ...(ip ? [key('ip', ip, namespace)] : []),
    ],

    lockedUntil: (db, keys, now) => findLock(db, keys, now),

    async fail(db, keys, now) {
      let locked: Date | undefined
      for (const k of keys) {
        const rule = rules[k.scope]
        const failures = await countFailure(db, { ...k, now, windowStart: new Date(now.getTime() - rule.windowMs) })
        if (failures >= rule.maxFailures) {
          const until = new Date(now.getTime() + rule.lockMs)
          await lockKey(db, { ...k, now, until })
          if (!locked || until > locked) locked = until
        }
      }
      return locked
    },

    async succeed(db, keys) {
      for (const k of keys) if (k.scope === 'identifier') await clearKey(db, k)
    },

    purge: (db, now) => deleteStaleThrottles(db, new Date(now.getTime() - 24 * 60 * MINUTE), now),
  }
}

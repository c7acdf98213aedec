/** Shared fixtures for the privacy tests: real services on a test clock and a throwaway keyring. */
import { randomBytes, randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { createAuditLog } from '../../platform/audit/index'
import { createTestClock, type TestClock } from '../../platform/clock'
import type { Ctx, Locale } from '../../platform/context'
import { createFieldCrypto, createKeyring, type FieldCrypto } from '../../platform/crypto/index'
import type { Db } from '../../platform/db/database'
import { createConsentService, type ConsentService } from './consents.service'
import { createPolicyService, type PolicyService } from './policies.service'
import { loadProfile, type Profile } from './profiles'

export interface PrivacyFixtures {
  clock: TestClock
  crypto: FieldCrypto
  policies: PolicyService
  consents: ConsentService
  talap: Profile
  bts: Profile
  /** A request-like Ctx on `db` (an anonymous visitor registering, with an IP and a browser). */
  ctx(db: Db, locale?: Locale): Ctx
}

/** Builds the privacy services the way the app wires them. */
export function privacyFixtures(start = '2026-03-01T10:00:00Z'): PrivacyFixtures {
  const clock = createTestClock(start)
  const audit = createAuditLog({ clock })
  const keyring = createKeyring(new Map([['k1', randomBytes(32)]]), 'k1', randomBytes(32))
  const crypto = createFieldCrypto({ keyring, audit, clock })
  return {
    clock,
    crypto,
    policies: createPolicyService({ audit }),
    consents: createConsentService({ audit, crypto }),
    talap: loadProfile('talap'),
    bts: loadProfile('bts-education'),
    ctx: (db, locale = 'kk') => ({
      actor: null,
      requestId: randomUUID(),
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (Linux; Android 14) Chrome/126.0',
      locale,
      now: clock.now(),
      db,
    }),
  }
}

/** Row counts of every table a consent decision writes to. */
export async function ledgerCounts(db: Db): Promise<{ records: number; keys: number; audit: number }> {
  const r = await sql<{ records: string; keys: string; audit: string }>`
    select (select count(*) from consent_records) as records, (select count(*) from subject_keys) as keys,
           (select count(*) from audit_log) as audit`.execute(db)
  const row = r.rows[0]
  return { records: Number(row?.records), keys: Number(row?.keys), audit: Number(row?.audit) }
}

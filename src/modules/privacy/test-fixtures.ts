/** Shared fixtures for the privacy tests: real services on a test clock and a throwaway keyring. */
import { randomBytes, randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { finishStaffSignIn } from '../accounts/index'
import { createAuditLog } from '../../platform/audit/index'
import { createTestClock, type Clock, type TestClock } from '../../platform/clock'
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

/** The parts of test/app.ts's TestApp the lifecycle tests use (src/ may not import test/). */
export interface LifecycleApp {
  app: {
    services: {
      privacy: import('./privacy.module').PrivacyLifecycle
      consents: ConsentService
      policies: PolicyService
      queue: { runOnce(options?: { limit?: number }): Promise<unknown[]> }
      accounts: {
        accounts: {
          createAccount(
            ctx: Ctx,
            input: { email: string; password: string; roles: ('learner' | 'dpo')[] },
          ): Promise<{ id: string }>
        }
        sessions: { start(ctx: Ctx, input: { userId: string }): Promise<{ token: string }> }
      }
    }
  }
  database: { db: Db }
  clock: TestClock
}

/** A request-like Ctx of the signed-in `userId` at the app clock's time. */
export function userCtx(t: LifecycleApp, userId: string, locale: Locale = 'kk'): Ctx {
  return {
    actor: { kind: 'user', id: userId, roles: ['learner'] },
    requestId: randomUUID(),
    ip: '203.0.113.9',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
    locale,
    now: t.clock.now(),
    db: t.database.db,
  }
}

export const TEST_PASSWORD = 'correct horse battery'

/** Creates an account (and, with `locale`, its acceptance of the policy in force in that language). */
export async function createUser(t: LifecycleApp, locale?: Locale): Promise<{ id: string; email: string }> {
  const { accounts, consents, policies } = t.app.services
  const email = `person.${randomBytes(4).toString('hex')}@example.kz`
  const ctx = userCtx(t, randomUUID())
  const account = await accounts.accounts.createAccount(
    { ...ctx, actor: null },
    {
      email,
      password: TEST_PASSWORD,
      roles: ['learner'],
    },
  )
  if (locale) {
    const profileId = (
      await sql<{ profile: string }>`select profile from policy_versions limit 1`.execute(t.database.db)
    ).rows[0]!.profile
    const policy = await policies.currentPolicy(t.database.db, profileId, locale, t.clock.now())
    await consents.recordPolicyAcceptance(userCtx(t, account.id, locale), {
      subjectId: account.id,
      policyVersionId: policy!.versionId,
      locale,
      textSha256: policy!.sha256,
      channel: 'web_registration',
    })
  }
  return { id: account.id, email }
}

/** Runs every due job until none is left (notices enqueue their next batch; e-mails their delivery). */
export async function drainJobs(t: LifecycleApp): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const ran = await t.app.services.queue.runOnce({ limit: 20 })
    if (ran.length === 0) return
  }
  throw new Error('jobs did not settle')
}

/** The three texts of a new version: version 1's with one paragraph changed and one added. */
export async function nextTexts(t: LifecycleApp, profileId: string): Promise<Record<Locale, string>> {
  const out = {} as Record<Locale, string>
  for (const locale of ['kk', 'ru', 'en'] as const) {
    const v1 = await t.app.services.policies.currentPolicy(t.database.db, profileId, locale, t.clock.now())
    out[locale] = `${v1!.markdown}\n\nNEW PARAGRAPH (${locale}): analytics cookies are kept for 30 days.\n`
  }
  return out
}

/** A cookie-keeping client over `app.inject` that posts forms with the CSRF token of the last page. */
export interface PageClient {
  get(path: string): Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>
  post(
    path: string,
    fields?: Record<string, string>,
  ): Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>
  signIn(email: string, password?: string): Promise<void>
}

type Inject = (opts: { method: string; url: string; headers: Record<string, string>; payload?: string }) => Promise<{
  statusCode: number
  body: string
  headers: Record<string, unknown>
  cookies: { name: string; value: string }[]
}>

export function pageClient(app: { inject: unknown }, locale: Locale = 'kk'): PageClient {
  const inject = app.inject as Inject
  const cookies = new Map<string, string>()
  let csrf = ''
  const headers = () => ({
    'accept-language': locale,
    ...(cookies.size ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
  })
  const keep = <R extends { body: string; cookies: { name: string; value: string }[] }>(res: R): R => {
    for (const c of res.cookies) {
      if (c.value === '') cookies.delete(c.name)
      else cookies.set(c.name, c.value)
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)
    if (token?.[1]) csrf = token[1]
    return res
  }
  const self: PageClient = {
    async get(path) {
      return keep(await inject({ method: 'GET', url: path, headers: headers() }))
    },
    async post(path, fields = {}) {
      const payload = new URLSearchParams({ _csrf: csrf, ...fields }).toString()
      return keep(
        await inject({
          method: 'POST',
          url: path,
          headers: { ...headers(), 'content-type': 'application/x-www-form-urlencoded' },
          payload,
        }),
      )
    },
    async signIn(email, password = TEST_PASSWORD) {
      await self.get('/login')
      const res = await self.post('/login', { identifier: email, password })
      if (res.statusCode !== 303) throw new Error(`sign-in failed: ${res.statusCode}`)
      await finishStaffSignIn(self, (app as unknown as { services: { clock: Clock } }).services.clock, email, res)
    },
  }
  return self
}

/** Creates a DPO account. */
export async function createDpo(t: LifecycleApp): Promise<{ id: string; email: string }> {
  const email = `dpo.${randomBytes(4).toString('hex')}@example.kz`
  const ctx = { ...userCtx(t, randomUUID()), actor: null }
  const account = await t.app.services.accounts.accounts.createAccount(ctx, {
    email,
    password: TEST_PASSWORD,
    roles: ['dpo'],
  })
  return { id: account.id, email }
}

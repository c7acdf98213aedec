/**
 * Shared fixtures for the accounts HTTP tests: a tiny browser over
 * `app.inject` (cookie jar, CSRF token taken from the last page, like a
 * real form post) and a factory for people with a role and a password.
 */
import { randomBytes } from 'node:crypto'
import type { LightMyRequestResponse as Response } from 'fastify'
import type { AuditLog } from '../../platform/audit/index'
import type { Clock } from '../../platform/clock'
import { systemCtx, type Ctx, type Locale, type Role } from '../../platform/context'
import type { FieldCrypto } from '../../platform/crypto/index'
import type { Db } from '../../platform/db/database'
import type { HttpApp } from '../../platform/http/http-app'
import { createAuditLog } from '../../platform/audit/index'
import { createTestClock, type TestClock } from '../../platform/clock'
import { createFieldCrypto, createKeyring } from '../../platform/crypto/index'
import { buildJobRegistry } from '../../platform/jobs/index'
import { testQueue } from '../../platform/jobs/test-fixtures'
import { createNotifications, notificationJobs, type Notifications } from '../notifications/index'
import {
  createConsentService,
  createPolicyService,
  loadProfile,
  type ConsentService,
  type PolicyService,
  type Profile,
} from '../privacy/index'
import { createAccountsModule, type AccountsModule } from './accounts.module'
import { createAccountsService } from './accounts.service'
import { iinCheckDigit } from './iin'
import type { AskedField } from './registration-fields'
import { askedFields } from './registration.pages'
import { STAFF_ROLES } from './accounts.tables'
import { base32Decode, totpAt } from './totp'

/** The parts of test/app.ts's TestApp these fixtures use (src/ may not import test/). */
export interface AppUnderTest {
  app: Pick<HttpApp, 'inject'> & { services: { audit: Pick<AuditLog, 'record'>; crypto: FieldCrypto } }
  database: { db: Db }
  clock: Clock
}

export const PASSWORD = 'correct horse battery'

export interface Person {
  id: string
  email: string
  password: string
  roles: Role[]
  /** The TOTP secret (base32) once a staff person has enrolled through completeSignIn. */
  totpSecret?: string
  /** The recovery codes shown at enrolment. */
  recoveryCodes?: string[]
}

/** Creates an account with the given roles (and phone, if any) in the test app's database. */
export async function createPerson(t: AppUnderTest, roles: Role[] = ['learner'], phone?: string): Promise<Person> {
  const { audit, crypto } = t.app.services
  const accounts = createAccountsService({ audit, crypto })
  const ctx = systemCtx(t.database.db, t.clock)
  const email = `${roles[0] ?? 'person'}.${randomBytes(4).toString('hex')}@example.kz`
  const account = await accounts.createAccount(ctx, { email, password: PASSWORD, roles })
  if (phone) await accounts.setPhone(ctx, account.id, phone)
  return { id: account.id, email, password: PASSWORD, roles }
}

export interface Client {
  /** The cookie jar: name → value. */
  cookies: Map<string, string>
  get(path: string, headers?: Record<string, string>): Promise<Response>
  /** Posts a form with the CSRF token of the last page fetched (or `_csrf` given explicitly). */
  post(path: string, fields?: Record<string, string>): Promise<Response>
  /** Fetches `page` for its CSRF token, then signs in; returns the sign-in response. */
  signIn(identifier: string, password: string, next?: string): Promise<Response>
}

/** A cookie-keeping client speaking `locale`, from `ip`. */
export function client(t: AppUnderTest, options: { locale?: Locale; ip?: string; userAgent?: string } = {}): Client {
  const cookies = new Map<string, string>()
  let csrf = ''
  const headers = () => ({
    'accept-language': options.locale ?? 'kk',
    'user-agent': options.userAgent ?? 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
    ...(cookies.size ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
  })
  const remember = (res: Response) => {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      // Cleared cookies: empty, or dated in 1970 (real expiry dates follow the test clock, not this machine's).
      const gone = c.value === '' || c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() < 1e12)
      if (gone) cookies.delete(c.name)
      else cookies.set(c.name, c.value)
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)
    if (token) csrf = token[1]!
    return res
  }
  const remoteAddress = options.ip ?? '203.0.113.10'
  const self: Client = {
    cookies,
    async get(path, extra = {}) {
      return remember(
        await t.app.inject({ method: 'GET', url: path, remoteAddress, headers: { ...headers(), ...extra } }),
      )
    },
    async post(path, fields = {}) {
      const body = new URLSearchParams({ _csrf: csrf, ...fields }).toString()
      return remember(
        await t.app.inject({
          method: 'POST',
          url: path,
          remoteAddress,
          headers: { ...headers(), 'content-type': 'application/x-www-form-urlencoded' },
          payload: body,
        }),
      )
    },
    async signIn(identifier, password, next) {
      await self.get('/login')
      return self.post('/login', { identifier, password, ...(next === undefined ? {} : { next }) })
    },
  }
  return self
}

export const PUBLIC_URL = 'https://oqu.example.kz'

/** The whole accounts module on a test database, with real privacy and notifications services. */
export interface Harness extends AccountsModule {
  db: Db
  crypto: FieldCrypto
  clock: TestClock
  notifications: Notifications
  policies: PolicyService
  consents: ConsentService
  profile: Profile
  /** The profile's fields as the registration form asks them. */
  asked: AskedField[]
  /** An anonymous request-like Ctx. */
  ctx(over?: Partial<Ctx>): Ctx
  /** The policy text in force now, as the registration form would show it. */
  shownPolicy(locale?: Locale): Promise<{ versionId: string; locale: Locale; textSha256: string }>
  /** The newest message sent to `to`. */
  latest(to: string, template: string): Promise<string>
}

/** Builds the module the way the app wires it, for the operator profile `profileId`. */
export async function accountsHarness(db: Db, profileId = 'talap', start = '2026-03-01T10:00:00Z'): Promise<Harness> {
  const clock = createTestClock(start)
  const audit = createAuditLog({ clock })
  const keyring = createKeyring(new Map([['k1', randomBytes(32)]]), 'k1', randomBytes(32))
  const crypto = createFieldCrypto({ keyring, audit, clock })
  const { queue } = testQueue(db, { clock })
  // Delivery jobs are registered (nothing delivers them: messages stay in the outbox, readable with latest()).
  buildJobRegistry(queue, notificationJobs({ crypto, audit, mail: null, sms: null }))
  const notifications = createNotifications({ crypto, queue })
  const policies = createPolicyService({ audit })
  const consents = createConsentService({ audit, crypto })
  const profile = loadProfile(profileId)
  const ctx = (over: Partial<Ctx> = {}): Ctx => ({
    actor: null,
    requestId: `test-${randomBytes(4).toString('hex')}`,
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0 (Linux; Android 14) Chrome/126.0',
    locale: 'kk',
    now: clock.now(),
    db,
    ...over,
  })
  await policies.ensureInitialPolicy(systemCtx(db, clock), profile)
  const module = createAccountsModule({ audit, crypto, notifications, consents, publicUrl: PUBLIC_URL })
  const asked = askedFields(profile)
  return {
    ...module,
    db,
    crypto,
    clock,
    notifications,
    policies,
    consents,
    profile,
    asked,
    ctx,
    async shownPolicy(locale = 'kk') {
      const text = await policies.currentPolicy(db, profile.id, locale, clock.now())
      if (!text) throw new Error('no policy in force')
      return { versionId: text.versionId, locale, textSha256: text.sha256 }
    },
    async latest(to, template) {
      const message = await notifications.latestMessage(ctx(), { to, template: template as never })
      if (!message?.text) throw new Error(`no ${template} message to the recipient`)
      return message.text
    },
  }
}

/** A valid IIN, different for every `n` (born 1 January 1990, male; the serial carries `n`). */
export function iinFor(n: number): string {
  for (let serial = n * 10; ; serial++) {
    const prefix = `9001013${String(serial % 10_000).padStart(4, '0')}`
    const check = iinCheckDigit(prefix)
    if (check !== undefined) return prefix + String(check)
  }
}

/** A valid IIN whose digits say born on 15 May 2010 (a minor until 15 May 2028), different for every `n`. */
export function minorIin(n: number): string {
  for (let serial = n * 10; ; serial++) {
    const prefix = `1005155${String(serial % 10_000).padStart(4, '0')}`
    const check = iinCheckDigit(prefix)
    if (check !== undefined) return prefix + String(check)
  }
}

/** The value of the hidden form field `name` on a page. */
export const hiddenValue = (body: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(body)?.[1] ?? ''

/**
 * Registers a minor through the Talap form as `browser` (born 15 May 2010 by the IIN, the date confirmed):
 * the account waits for a guardian. `n` keeps the address, phone and IIN apart between calls.
 */
export async function registerMinor(
  browser: Client,
  n: number,
  email = `bala.${n}.${randomBytes(3).toString('hex')}@mail.kz`,
): Promise<{ email: string; iin: string }> {
  const page = await browser.get('/register')
  const iin = minorIin(400 + n)
  const res = await browser.post('/register', {
    surname: 'Сейітқали',
    givenName: 'Ерасыл',
    phone: `8 707 ${String(4000000 + n * 3571).slice(-7)}`,
    email,
    iin,
    iinBirthDate: 'confirmed',
    password: PASSWORD,
    acceptPolicy: 'yes',
    policyVersionId: hiddenValue(page.body, 'policyVersionId'),
    policyLocale: hiddenValue(page.body, 'policyLocale'),
    policySha256: hiddenValue(page.body, 'policySha256'),
  })
  if (res.statusCode !== 303) throw new Error(`registration failed: ${res.statusCode}`)
  return { email, iin }
}

/** The TOTP secret shown on an enrolment page (grouped in fours). */
export function secretOnPage(body: string): string {
  const m = /id="totp-secret">([A-Z2-7 ]+)</.exec(body)
  if (!m) throw new Error('no TOTP secret on the page')
  return m[1]!.replace(/ /g, '')
}

/** The code the person's authenticator shows now (the test clock's now). */
export function codeNow(t: Pick<AppUnderTest, 'clock'>, secret: string, offsetMs = 0): string {
  return totpAt(base32Decode(secret), new Date(t.clock.now().getTime() + offsetMs))
}

/**
 * Signs in as a browser would, second factor included for staff: enrols the
 * authenticator the first time (keeping the secret and recovery codes on
 * `person`), enters the current code afterwards. The caller moves the clock
 * 30 s between two sign-ins of one staff person (a code's step works once).
 */
export async function completeSignIn(t: AppUnderTest, browser: Client, person: Person): Promise<Response> {
  const res = await browser.signIn(person.email, person.password)
  if (!person.roles.some((r) => STAFF_ROLES.includes(r))) return res
  const factor = await browser.get('/login/second-factor')
  if (String(factor.headers.location ?? '').startsWith('/login/second-factor/enrol')) {
    const page = await browser.get(String(factor.headers.location))
    person.totpSecret = secretOnPage(page.body)
    const done = await browser.post('/login/second-factor/enrol', { code: codeNow(t, person.totpSecret) })
    if (done.statusCode !== 200) throw new Error(`enrolment failed: ${done.statusCode}`)
    person.recoveryCodes = [...done.body.matchAll(/<li class="mono">([a-z2-9-]+)<\/li>/g)].map((m) => m[1]!)
    return done
  }
  if (!person.totpSecret) throw new Error('the person has a factor this fixture did not enrol')
  return browser.post('/login/second-factor', { code: codeNow(t, person.totpSecret) })
}

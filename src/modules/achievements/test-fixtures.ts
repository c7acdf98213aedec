/**
 * Shared fixtures for the achievements tests: the module built with real
 * services (audit, field crypto, accounts for names, learning for courses)
 * on a test clock, people with names, courses, and a tiny cookie-keeping
 * client over `app.inject` for the page tests.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { LightMyRequestResponse as Response } from 'fastify'
import {
  createAccountsService,
  finishStaffSignIn,
  PROFILE_FIELDS,
  type AccountsService,
  type ProfileFields,
} from '../accounts/index'
import { createCourseService, type CourseService } from '../learning/index'
import { loadProfile } from '../privacy/index'
import { createAuditLog, type AuditLog } from '../../platform/audit/index'
import { createTestClock, type TestClock } from '../../platform/clock'
import { SYSTEM_ACTOR, type Actor, type Ctx, type Locale, type Role } from '../../platform/context'
import { createFieldCrypto, createKeyring, type FieldCrypto } from '../../platform/crypto/index'
import type { Db } from '../../platform/db/database'
import type { HttpApp } from '../../platform/http/http-app'
import { createI18n, loadLocaleFiles, type I18n } from '../../platform/i18n/i18n'
import { createAchievements, type Achievements } from './achievements.service'
import { courseFacts } from '../learning/index'

export const LOCALES_DIR = fileURLToPath(new URL('../../../locales', import.meta.url))
export const PUBLIC_URL = 'https://oqu.example.kz'
export const PASSWORD = 'correct horse battery'
/** A name with Kazakh letters, as registration would store it. */
export const KAZAKH_NAME: ProfileFields = { surname: 'Әбілқасымова', givenName: 'Ғалия', patronymic: 'Құрманқызы' }
export const fullNameOf = (f: ProfileFields) => [f.surname, f.givenName, f.patronymic].filter(Boolean).join(' ')

export interface Person {
  id: string
  email: string
  actor: Actor
}

export interface Services {
  audit: Pick<AuditLog, 'record'>
  crypto: FieldCrypto
}

/** Creates an account with a password, roles and (optionally) registration names, through the real services. */
export async function createNamedPerson(
  services: Services,
  db: Db,
  clock: TestClock,
  roles: Role[] = ['learner'],
  names: ProfileFields | null = KAZAKH_NAME,
): Promise<Person> {
  const accounts = createAccountsService(services)
  const ctx: Ctx = {
    actor: SYSTEM_ACTOR,
    requestId: randomUUID(),
    ip: null,
    userAgent: null,
    locale: 'kk',
    now: clock.now(),
    db,
  }
  const email = `${roles[0] ?? 'person'}.${randomBytes(4).toString('hex')}@example.kz`
  const account = await accounts.createAccount(ctx, { email, password: PASSWORD, roles })
  if (names) {
    // What registration stores: each name field as ciphertext under the person's key.
    const set: Record<string, string> = {}
    for (const [key, value] of Object.entries(names) as [keyof ProfileFields, string][]) {
      const [field, column] = PROFILE_FIELDS[key]
      set[column] = await services.crypto.encryptField(db, { subjectId: account.id, field }, value)
    }
    await db
      .updateTable('users' as never)
      .set(set as never)
      .where('id' as never, '=', account.id as never)
      .execute()
  }
  return { id: account.id, email, actor: { kind: 'user', id: account.id, roles } }
}

export interface Harness extends Services {
  db: Db
  clock: TestClock
  i18n: I18n
  accounts: AccountsService
  courses: CourseService
  achievements: Achievements
  ctx(actor?: Actor | null, locale?: Locale): Ctx
  person(roles?: Role[], names?: ProfileFields | null): Promise<Person>
  /** Creates a course (kk and ru by default) through learning's course service. */
  course(over?: { languages?: Locale[]; titles?: Partial<Record<Locale, string>>; hours?: number }): Promise<string>
}

export function achievementsHarness(db: Db): Harness {
  const clock = createTestClock('2026-03-01T10:00:00Z')
  const audit = createAuditLog({ clock })
  const keyring = createKeyring(new Map([['k1', randomBytes(32)]]), 'k1', randomBytes(32))
  const crypto = createFieldCrypto({ keyring, audit, clock })
  const i18n = createI18n(loadLocaleFiles(LOCALES_DIR))
  const accounts = createAccountsService({ audit, crypto })
  const courses = createCourseService({ audit })
  const achievements = createAchievements({
    audit,
    crypto,
    i18n,
    publicUrl: PUBLIC_URL,
    operatorNames: loadProfile('talap').operator.legalName,
    courseFacts,
    learnerName: (ctx, id) => accounts.fullName(ctx, id),
  })
  const ctx = (actor: Actor | null = SYSTEM_ACTOR, locale: Locale = 'kk'): Ctx => ({
    actor,
    requestId: randomUUID(),
    ip: null,
    userAgent: null,
    locale,
    now: clock.now(),
    db,
  })
  return {
    db,
    clock,
    audit,
    crypto,
    i18n,
    accounts,
    courses,
    achievements,
    ctx,
    person: (roles, names) => createNamedPerson({ audit, crypto }, db, clock, roles, names),
    async course(over = {}) {
      const languages = over.languages ?? ['kk', 'ru']
      const suffix = randomUUID().slice(0, 6)
      const texts = Object.fromEntries(
        languages.map((l) => [l, { title: over.titles?.[l] ?? `Course ${l} ${suffix}`, summary: `Summary ${l}` }]),
      )
      const { id } = await courses.create(ctx(), {
        slug: `course-${suffix}`,
        languages,
        level: 'beginner',
        durationHours: over.hours ?? 24,
        priceKzt: null,
        texts,
      })
      return id
    },
  }
}

/** Audit entries of `action` about `subjectId`, oldest first. */
export async function auditEntries(db: Db, action: string, subjectId?: string) {
  let q = db
    .selectFrom('audit_log')
    .select(['action', 'subject_id', 'target_id', 'data', 'actor_id'])
    .where('action', '=', action)
  if (subjectId) q = q.where('subject_id', '=', subjectId)
  return q.orderBy('id').execute()
}

export interface Client {
  get(path: string): Promise<Response>
  /** Posts a form with the CSRF token of the last page fetched. */
  post(path: string, fields?: Record<string, string>, withToken?: boolean): Promise<Response>
  signIn(email: string): Promise<void>
}

/** A browser-like client: keeps cookies and the last page's CSRF token; staff sign in with their second factor. */
export function client(app: Pick<HttpApp, 'inject'>, locale: Locale = 'kk'): Client {
  const cookies = new Map<string, string>()
  let csrf = ''
  const headers = () => ({
    'accept-language': locale,
    ...(cookies.size ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
  })
  const keep = (res: Response) => {
    for (const c of res.cookies as { name: string; value: string }[]) {
      if (c.value === '') cookies.delete(c.name)
      else cookies.set(c.name, c.value)
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)
    if (token) csrf = token[1]!
    return res
  }
  const self: Client = {
    async get(path) {
      return keep(await app.inject({ method: 'GET', url: path, headers: headers() }))
    },
    async post(path, fields = {}, withToken = true) {
      return keep(
        await app.inject({
          method: 'POST',
          url: path,
          headers: { ...headers(), 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams(withToken ? { _csrf: csrf, ...fields } : fields).toString(),
        }),
      )
    },
    async signIn(email) {
      await self.get('/login')
      const res = await self.post('/login', { identifier: email, password: PASSWORD })
      if (res.statusCode !== 303) throw new Error(`sign-in failed: ${res.statusCode}`)
      await finishStaffSignIn(self, (app as HttpApp).services.clock, email, res)
    },
  }
  return self
}

/**
 * Fixtures for the authoring HTTP tests: people with roles in the test app's
 * database, and a cookie-keeping client over `app.inject` that posts forms
 * with the CSRF token of the last page it fetched (like a browser).
 */
import { randomBytes } from 'node:crypto'
import type { LightMyRequestResponse as Response } from 'fastify'
import type { AuditLog } from '../../platform/audit/index'
import type { Clock } from '../../platform/clock'
import { systemCtx, type Locale, type Role } from '../../platform/context'
import type { FieldCrypto } from '../../platform/crypto/index'
import type { Db } from '../../platform/db/database'
import type { HttpApp } from '../../platform/http/http-app'
import { createAccountsService, finishStaffSignIn } from '../accounts/index'

/** The parts of test/app.ts's TestApp used here (src/ may not import test/). */
export interface AppUnderTest {
  app: Pick<HttpApp, 'inject'> & { services: { audit: Pick<AuditLog, 'record'>; crypto: FieldCrypto } }
  database: { db: Db }
  clock: Clock
}

export const PASSWORD = 'correct horse battery'

export interface Browser {
  id: string | null
  get(path: string): Promise<Response>
  post(path: string, fields?: Record<string, string | string[]>, headers?: Record<string, string>): Promise<Response>
  /** A multipart post of one file field (plus the CSRF token). */
  upload(path: string, field: string, file: Buffer, contentType: string, filename?: string): Promise<Response>
}

/** A browser speaking `locale`; signed in as a new account with `roles` unless roles is null (anonymous). */
export async function browserAs(t: AppUnderTest, roles: Role[] | null, locale: Locale = 'kk'): Promise<Browser> {
  const cookies = new Map<string, string>()
  let csrf = ''
  const headers = (extra: Record<string, string> = {}) => ({
    'accept-language': locale,
    ...(cookies.size ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
    ...extra,
  })
  const keep = (res: Response) => {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number }[]) {
      if (c.value === '' || c.maxAge === 0) cookies.delete(c.name)
      else cookies.set(c.name, c.value)
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)
    if (token) csrf = token[1]!
    return res
  }
  const self: Browser = {
    id: null,
    async get(path) {
      return keep(await t.app.inject({ method: 'GET', url: path, headers: headers() }))
    },
    async post(path, fields = {}, extra = {}) {
      const body = new URLSearchParams()
      body.append('_csrf', csrf)
      for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x)
      return keep(
        await t.app.inject({
          method: 'POST',
          url: path,
          headers: headers({ 'content-type': 'application/x-www-form-urlencoded', ...extra }),
          payload: body.toString(),
        }),
      )
    },
    async upload(path, field, file, contentType, filename = 'upload') {
      const boundary = `----oqu${randomBytes(8).toString('hex')}`
      const payload = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename.replace(/"/g, '%22')}"\r\nContent-Type: ${contentType}\r\n\r\n`,
        ),
        file,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ])
      return keep(
        await t.app.inject({
          method: 'POST',
          url: path,
          headers: headers({ 'content-type': `multipart/form-data; boundary=${boundary}` }),
          payload,
        }),
      )
    },
  }
  if (roles) {
    const { audit, crypto } = t.app.services
    const accounts = createAccountsService({ audit, crypto })
    const email = `${roles[0] ?? 'person'}.${randomBytes(4).toString('hex')}@example.kz`
    const account = await accounts.createAccount(systemCtx(t.database.db, t.clock), {
      email,
      password: PASSWORD,
      roles,
    })
    self.id = account.id
    await self.get('/login')
    const res = await self.post('/login', { identifier: email, password: PASSWORD })
    if (res.statusCode !== 303) throw new Error(`sign-in failed: ${res.statusCode}`)
    await finishStaffSignIn(self, t.clock, email, res)
  }
  return self
}

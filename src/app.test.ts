// The HTTP edge: security headers (T-4.4, B-3.2, B-3.3), CSRF, rate limits,
// one error handler with localized messages and no internals in 5xx bodies,
// OpenAPI, metrics.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { Type } from 'typebox'
import { buildApp, type App } from './app'
import { loadConfig } from './config'
import { createTestClock } from './platform/clock'
import { createKeyring } from './platform/crypto/index'
import { createTestDatabase } from '../test/database'
import { DomainError } from './platform/errors'
import { AppError } from './platform/http/errors'

async function appWith(env: Record<string, string> = {}) {
  const testDb = await createTestDatabase('pglite')
  const keyring = createKeyring(new Map([['k1', randomBytes(32)]]), 'k1', randomBytes(32))
  const app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', ...env }),
    database: { db: testDb.db, kind: testDb.kind, close: async () => {} },
    clock: createTestClock(),
    keyring,
  })
  app.get('/test/form', async (_req, reply) => ({ token: reply.generateCsrf() }))
  app.post(
    '/test/form',
    { schema: { body: Type.Object({ title: Type.String({ minLength: 3 }), _csrf: Type.Optional(Type.String()) }) } },
    async (req) => ({ title: req.body.title }),
  )
  app.get('/test/boom', async () => {
    throw new Error('connection to 10.1.2.3 failed for user aigerim@example.kz')
  })
  app.get('/test/taken', async () => {
    throw new DomainError('accounts.email_taken', 'taken', 409)
  })
  app.get('/test/unknown-code', async () => {
    throw new DomainError('somewhere.something_odd', 'odd', 409)
  })
  app.get('/test/forbidden', async () => {
    throw new AppError('forbidden')
  })
  await app.ready()
  return { app, close: async () => (await app.close(), await testDb.dispose()) }
}

function cookiesOf(res: { headers: Record<string, unknown> }): string {
  const set = res.headers['set-cookie']
  const list = Array.isArray(set) ? set : set ? [String(set)] : []
  return list.map((c: string) => c.split(';')[0]).join('; ')
}

describe('HTTP edge', () => {
  let app: App
  let close: () => Promise<void>
  before(async () => ({ app, close } = await appWith()))
  after(async () => close())

  it('sends a strict Content-Security-Policy and the other security headers', async () => {
    const res = await app.inject({ url: '/' })
    const csp = String(res.headers['content-security-policy'])
    for (const d of [
      "default-src 'self'",
      "script-src 'self'",
      "object-src 'none'",
      "frame-ancestors 'none'",
      "base-uri 'self'",
    ]) {
      assert.ok(csp.includes(d), `CSP has ${d}`)
    }
    assert.ok(!csp.includes('unsafe-inline'))
    assert.match(String(res.headers['strict-transport-security']), /max-age=31536000/)
    assert.equal(res.headers['x-content-type-options'], 'nosniff')
    assert.equal(res.headers['referrer-policy'], 'same-origin')
  })

  it('refuses a state-changing request without a CSRF token, in the visitor’s language', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/test/form',
      payload: { title: 'Hello' },
      headers: { 'accept-language': 'ru', accept: 'application/json' },
    })
    assert.equal(res.statusCode, 403)
    assert.equal(res.json().error.code, 'csrf_invalid')
    assert.match(res.json().error.message, /Срок действия формы истёк/)
  })

  it('accepts the form with the token from the same browser, and refuses a token from another', async () => {
    const issued = await app.inject({ url: '/test/form' })
    const { token } = issued.json() as { token: string }
    const cookie = cookiesOf(issued)
    const ok = await app.inject({
      method: 'POST',
      url: '/test/form',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `title=Hello&_csrf=${encodeURIComponent(token)}`,
    })
    assert.equal(ok.statusCode, 200)
    assert.deepEqual(ok.json(), { title: 'Hello' })

    const other = await app.inject({ url: '/test/form' })
    const stolen = await app.inject({
      method: 'POST',
      url: '/test/form',
      headers: { cookie: cookiesOf(other), 'x-csrf-token': token },
      payload: { title: 'Hello' },
    })
    assert.equal(stolen.statusCode, 403)
  })

  it('reports validation errors with a stable code and localized field messages', async () => {
    const issued = await app.inject({ url: '/test/form' })
    const res = await app.inject({
      method: 'POST',
      url: '/test/form',
      headers: {
        cookie: cookiesOf(issued),
        'x-csrf-token': issued.json().token,
        'accept-language': 'kk',
        accept: 'application/json',
      },
      payload: { title: 'Hi' },
    })
    assert.equal(res.statusCode, 400)
    const body = res.json()
    assert.equal(body.error.code, 'validation_failed')
    assert.equal(body.error.fields[0].field, 'title')
    assert.match(body.error.fields[0].message, /кемінде 3 таңба/)
  })

  it('never puts internals in a 5xx body; it gives the request id instead', async () => {
    for (const accept of ['application/json', 'text/html']) {
      const res = await app.inject({ url: '/test/boom', headers: { accept } })
      assert.equal(res.statusCode, 500)
      assert.ok(!res.body.includes('10.1.2.3'))
      assert.ok(!res.body.includes('aigerim@example.kz'))
      assert.ok(!res.body.includes('stack'))
      assert.ok(res.body.includes(String(res.headers['x-request-id'] ?? '')) || /[0-9a-f-]{36}/.test(res.body))
    }
  })

  it('maps domain error codes to status and page', async () => {
    const page = await app.inject({ url: '/test/forbidden', headers: { accept: 'text/html', 'accept-language': 'en' } })
    assert.equal(page.statusCode, 403)
    assert.match(page.headers['content-type'] as string, /text\/html/)
    assert.match(page.body, /You are not allowed to do this/)
    const missing = await app.inject({ url: '/api/v1/nothing-here' })
    assert.equal(missing.statusCode, 404)
    assert.equal(missing.json().error.code, 'not_found')
    assert.match(missing.json().error.message, /Бет табылмады/)
  })

  it("maps a module's domain error to its status and message, and an unknown code to the generic one", async () => {
    const taken = await app.inject({
      url: '/test/taken',
      headers: { accept: 'application/json', 'accept-language': 'ru' },
    })
    assert.equal(taken.statusCode, 409)
    assert.equal(taken.json().error.code, 'accounts.email_taken')
    assert.match(taken.json().error.message, /Учётная запись с этим адресом уже есть/)
    const odd = await app.inject({
      url: '/test/unknown-code',
      headers: { accept: 'application/json', 'accept-language': 'en' },
    })
    assert.equal(odd.statusCode, 409)
    assert.match(odd.json().error.message, /cannot be done right now/)
  })

  it('publishes OpenAPI 3.1 with typed routes, and its UI', async () => {
    const doc = (await app.inject({ url: '/api/openapi.json' })).json()
    assert.equal(doc.openapi, '3.1.0')
    assert.ok(doc.paths['/api/v1/platform'].get.responses['200'].content['application/json'].schema.properties.profile)
    const ui = await app.inject({ url: '/api/docs/' })
    assert.equal(ui.statusCode, 200)
    assert.match(ui.body, /swagger/i)
  })

  it('answers health and readiness, and exposes Prometheus metrics with route patterns only', async () => {
    assert.deepEqual((await app.inject({ url: '/healthz' })).json(), { status: 'ok' })
    assert.deepEqual((await app.inject({ url: '/readyz' })).json(), { status: 'ok' })
    const metrics = (await app.inject({ url: '/metrics' })).body
    assert.match(metrics, /oqu_http_requests_total\{method="GET",route="\/healthz",status="200"\}/)
    assert.match(metrics, /oqu_jobs\{state="pending"\} \d+/)
    assert.match(metrics, /oqu_process_cpu_user_seconds_total/)
  })

  it('describes this installation without personal data', async () => {
    const info = (await app.inject({ url: '/api/v1/platform' })).json()
    assert.deepEqual(info, {
      name: 'Oqu',
      version: '0.1.0',
      profile: 'talap',
      locales: ['kk', 'ru', 'en'],
      database: 'embedded',
    })
  })
})

describe('rate limiting', () => {
  let app: App
  let close: () => Promise<void>
  before(async () => ({ app, close } = await appWith({ OQU_RATE_LIMIT: '3' })))
  after(async () => close())

  it('answers 429 with a localized message once a client passes its limit, but never limits probes', async () => {
    const codes: number[] = []
    for (let i = 0; i < 4; i++)
      codes.push((await app.inject({ url: '/api/v1/platform', headers: { 'accept-language': 'en' } })).statusCode)
    assert.deepEqual(codes, [200, 200, 200, 429])
    const limited = await app.inject({ url: '/api/v1/platform', headers: { 'accept-language': 'en' } })
    assert.equal(limited.json().error.code, 'rate_limited')
    assert.match(limited.json().error.message, /Too many requests/)
    assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200)
  })
})

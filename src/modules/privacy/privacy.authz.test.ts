// B-3.4 (need-to-know), issue 4: every privacy route, as an anonymous visitor, a learner, a guardian and the DPO.
// The list PRIVACY_ROUTES is complete (the compiler and this test fail when a route is added without it); signed-in
// routes send visitors to sign in; the DPO's desk and the guardians' page answer 404 to anyone else, and a receipt
// 404 to anyone but its subject, their representative or the DPO — the same answer as an unknown id.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import Fastify from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { sql } from 'kysely'
import { createTestApp, type TestApp } from '../../../test/app'
import { databaseKinds } from '../../../test/database'
import { almatyTime } from './calendar'
import { registerCentrePages } from './centre.pages'
import { registerClosurePages } from './closure.pages'
import { registerDpoPages } from './dpo.pages'
import { registerPolicyPages } from './policy.pages'
import { PRIVACY_ROUTES } from './privacy.routes'
import { registerReceiptPages } from './receipts.pages'
import { registerRequestPages } from './requests.pages'
import { registerWardPages } from './wards.pages'
import { createDpo, createUser, pageClient, TEST_PASSWORD, userCtx, type LifecycleApp } from './test-fixtures'

type Route = (typeof PRIVACY_ROUTES)[number]
type RouteKey = Route extends infer R ? (R extends Route ? `${R['method']} ${R['url']}` : never) : never

const NOBODY = '00000000-0000-4000-8000-000000000000'

/** A valid form per POST route, so that a refusal is the route's and never the body schema's. */
const FORMS: Partial<Record<RouteKey, Record<string, string>>> = {
  'POST /policy/accept': { version: '1' },
  'POST /dpo/draft': { kk: 'мәтін', ru: 'текст', en: 'text' },
  'POST /dpo/publish': { versionId: NOBODY, effectiveDate: '2026-06-01' },
  'POST /dpo/requests/:id/decide': { decision: 'reject', note: 'no' },
  'POST /privacy/purposes': { purpose: 'marketing', on: '0' },
  'POST /privacy/withdraw': { password: 'not the password', effect: 'stop_processing' },
  'POST /privacy/complaints': { text: 'a complaint of some length' },
  'POST /privacy/close': { password: 'not the password' },
  'POST /privacy/children/:id/withdraw': { password: 'not the password' },
}

const url = (r: Route, id = NOBODY) => r.url.replace(':id', id).replace(':n', '1')

for (const kind of databaseKinds())
  describe(`privacy authorization matrix [${kind}]`, () => {
    let t: TestApp & LifecycleApp
    before(async () => {
      t = (await createTestApp({ kind, env: { OQU_PROFILE: 'talap', OQU_RATE_LIMIT: '100000' } })) as TestApp &
        LifecycleApp
      t.clock.set(almatyTime('2026-05-04', '10:00'))
    })
    after(() => t.close())

    it('lists every route the module registers, and the app serves each', async () => {
      const registered: string[] = []
      const bare = Fastify().withTypeProvider<TypeBoxTypeProvider>()
      bare.addHook('onRoute', (route) => {
        for (const method of [route.method].flat()) if (method !== 'HEAD') registered.push(`${method} ${route.url}`)
      })
      const deps = { requireUser: async () => undefined } as never
      registerPolicyPages(bare, deps)
      registerDpoPages(bare, deps)
      registerRequestPages(bare, deps)
      registerCentrePages(bare, deps)
      registerClosurePages(bare, deps)
      registerWardPages(bare, deps)
      registerReceiptPages(bare, deps)
      await bare.ready()
      const listed = PRIVACY_ROUTES.map((r) => `${r.method} ${r.url}`)
      assert.deepEqual(registered.sort(), [...listed].sort())
      for (const r of PRIVACY_ROUTES) assert.ok(t.app.hasRoute({ method: r.method, url: r.url }), r.url)
    })

    it('sends anonymous visitors of every signed-in route to sign in; receipts answer 404', async () => {
      const anonymous = pageClient(t.app)
      await anonymous.get('/login') // a CSRF token, so a refusal cannot be the CSRF check's
      for (const r of PRIVACY_ROUTES.filter((x) => x.access !== 'public')) {
        const key = `${r.method} ${r.url}` as RouteKey
        const res = r.method === 'GET' ? await anonymous.get(url(r)) : await anonymous.post(url(r), FORMS[key])
        if (r.access === 'subject') assert.equal(res.statusCode, 404, key)
        else {
          assert.equal(res.statusCode, 303, key)
          assert.match(String(res.headers.location), /^\/login/, key)
        }
      }
    })

    it("answers 404 to a learner on the DPO's desk, the guardians' page and another person's receipt", async () => {
      const learner = await createUser(t, 'kk')
      const other = await createUser(t, 'kk')
      const [otherRecord] = await t.app.services.consents.recordsOf(t.database.db, other.id)
      const c = pageClient(t.app, 'kk')
      await c.signIn(learner.email)
      for (const r of PRIVACY_ROUTES.filter((x) => x.access === 'dpo' || x.access === 'guardian')) {
        const key = `${r.method} ${r.url}` as RouteKey
        await c.get('/privacy') // a fresh CSRF token
        const res = r.method === 'GET' ? await c.get(url(r)) : await c.post(url(r, other.id), FORMS[key])
        assert.equal(res.statusCode, 404, key)
      }
      for (const r of PRIVACY_ROUTES.filter((x) => x.access === 'subject')) {
        assert.equal((await c.get(url(r, otherRecord!.id))).statusCode, 404, `${r.url}: another person's`)
        assert.equal((await c.get(url(r, NOBODY))).statusCode, 404, `${r.url}: unknown`)
      }
      for (const r of PRIVACY_ROUTES.filter((x) => x.access === 'user' && x.method === 'GET'))
        assert.equal((await c.get(url(r))).statusCode, 200, r.url)
    })

    it("opens the desk to the DPO and the guardians' page to a live guardian only", async () => {
      const dpo = await createDpo(t)
      const d = pageClient(t.app, 'en')
      await d.signIn(dpo.email)
      for (const r of PRIVACY_ROUTES.filter((x) => x.access === 'dpo' && x.method === 'GET'))
        assert.equal((await d.get(url(r))).statusCode, 200, r.url)
      assert.equal((await d.get('/privacy/children')).statusCode, 404, 'the DPO is nobody’s guardian here')

      const child = await createUser(t, 'kk')
      const email = `guardian.${randomUUID().slice(0, 8)}@example.kz`
      const { id: guardianId } = await t.app.services.accounts.accounts.createAccount(
        { ...userCtx(t, randomUUID()), actor: null },
        { email, password: TEST_PASSWORD, roles: ['guardian'] },
      )
      const link = async (status: 'linked' | 'revoked') =>
        sql`insert into guardian_links (id, child_id, guardian_id, status, invited_at, linked_at, ended_at)
          values (${randomUUID()}, ${child.id}, ${guardianId}, ${status}, ${t.clock.now()}, ${t.clock.now()},
          ${status === 'revoked' ? t.clock.now() : null})`.execute(t.database.db)
      const g = pageClient(t.app, 'en')
      await g.signIn(email)
      assert.equal((await g.get('/privacy/children')).statusCode, 404, 'the role alone opens nothing')
      await link('revoked')
      assert.equal((await g.get('/privacy/children')).statusCode, 404, 'an ended link is no link')
      await link('linked')
      assert.equal((await g.get('/privacy/children')).statusCode, 200)
    })
  })

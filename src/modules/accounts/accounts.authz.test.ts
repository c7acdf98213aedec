// B-3.4, issue 3 "a test matrix tries every route as every role and as another user of the same role":
// every accounts route, as an anonymous visitor, as each role, and against another person of the same role.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import Fastify from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { createTestApp, type TestApp } from '../../../test/app'
import { pageDatabaseKinds } from '../../../test/database'
import type { Role } from '../../platform/context'
import { ACCOUNT_ROUTES, registerAccountsPages, type AccountsModule } from './accounts.module'
import { ROLES, STAFF_ROLES } from './accounts.tables'
import { SESSION_COOKIE } from './authentication'
import { client, completeSignIn, createPerson, type Client, type Person } from './test-fixtures'

type AccountRoute = (typeof ACCOUNT_ROUTES)[number]
type RouteKey = AccountRoute extends infer R ? (R extends AccountRoute ? `${R['method']} ${R['url']}` : never) : never

interface Signed {
  person: Person
  browser: Client
  sessionIds: string[]
}

/** What "someone else's data" means for each route: the probe must not reach the other person's. */
type Probe = (me: Signed, other: Signed) => Promise<void>

const sessionIdsOf = async (who: Signed) => {
  const res = await who.browser.get('/api/v1/account/sessions')
  assert.equal(res.statusCode, 200)
  return (res.json() as { sessions: { id: string }[] }).sessions.map((s) => s.id)
}
const stillSignedIn = async (who: Signed) => assert.equal((await who.browser.get('/account')).statusCode, 200)
const mentionsNone = (body: string, ids: string[]) => {
  for (const id of ids) assert.ok(!body.includes(id), `another person's session ${id} appears`)
}

const NO_LINK = '00000000-0000-4000-8000-000000000000'

// A probe per route: the compiler fails when a route is added without one.
const PROBES: Record<RouteKey, Probe> = {
  'GET /login': async (me) => assert.equal((await me.browser.get('/login')).statusCode, 303),
  'POST /login': async (_me, other) => {
    const wrong = await client(testApp).signIn(other.person.email, 'not their password')
    assert.equal(wrong.statusCode, 401, 'knowing the address is not enough')
  },
  'GET /logout': async (me) => assert.equal((await me.browser.get('/logout')).statusCode, 200),
  'POST /logout': async () => {}, // covered below: signing out ends only one's own session
  'GET /account': async (me, other) => {
    const res = await me.browser.get('/account')
    assert.equal(res.statusCode, 200)
    mentionsNone(res.body, other.sessionIds)
    assert.ok(!res.body.includes(other.person.email.slice(0, 12)), 'nothing of the other address')
  },
  'GET /account/sessions': async (me, other) => {
    const res = await me.browser.get('/account/sessions')
    assert.equal(res.statusCode, 200)
    mentionsNone(res.body, other.sessionIds)
    for (const id of me.sessionIds) assert.ok(res.body.includes(id))
  },
  'POST /account/sessions/:id/revoke': async (me, other) => {
    await me.browser.get('/account/sessions')
    for (const id of [...other.sessionIds, '00000000-0000-4000-8000-000000000000', 'not-a-uuid'])
      assert.equal((await me.browser.post(`/account/sessions/${id}/revoke`)).statusCode, 404, id)
    await stillSignedIn(other)
  },
  'POST /account/sessions/revoke-others': async (me, other) => {
    await me.browser.get('/account/sessions')
    assert.equal((await me.browser.post('/account/sessions/revoke-others')).statusCode, 303)
    await stillSignedIn(other)
    await stillSignedIn(me)
  },
  'GET /register': async (me) => assert.equal((await me.browser.get('/register')).headers.location, '/account'),
  'POST /register': async (me, other) => {
    await me.browser.get('/account')
    const res = await me.browser.post('/register', { email: other.person.email, password: 'x' })
    assert.equal(res.headers.location, '/account', 'no second account from a session')
  },
  'GET /account/verify': async (me) => assert.equal((await me.browser.get('/account/verify')).statusCode, 200),
  'POST /account/verify/phone': async (me, other) => {
    await me.browser.get('/account/verify')
    assert.equal((await me.browser.post('/account/verify/phone', { code: '123456' })).statusCode, 400)
    await stillSignedIn(other)
  },
  'POST /account/verify/email/resend': async (me) => {
    await me.browser.get('/account/verify')
    assert.equal(
      (await me.browser.post('/account/verify/email/resend')).headers.location,
      '/account/verify?done=link_sent',
    )
  },
  'POST /account/verify/phone/resend': async (me) => {
    await me.browser.get('/account/verify')
    assert.equal((await me.browser.post('/account/verify/phone/resend')).statusCode, 303)
  },
  'GET /account/verify-email': async (me) =>
    assert.equal((await me.browser.get('/account/verify-email?token=x')).statusCode, 200),
  'POST /account/verify-email': async (me) => {
    await me.browser.get('/account/verify-email')
    assert.equal((await me.browser.post('/account/verify-email', { token: 'A'.repeat(43) })).statusCode, 400)
  },
  'GET /password/forgot': async (me) => assert.equal((await me.browser.get('/password/forgot')).statusCode, 200),
  'POST /password/forgot': async (me, other) => {
    await me.browser.get('/password/forgot')
    const res = await me.browser.post('/password/forgot', { email: other.person.email })
    assert.equal(res.statusCode, 200, 'the same answer for any address')
    await stillSignedIn(other)
  },
  'GET /password/reset': async (me) => assert.equal((await me.browser.get('/password/reset')).statusCode, 400),
  'POST /password/reset': async (me, other) => {
    await me.browser.get('/password/forgot')
    const res = await me.browser.post('/password/reset', { token: 'A'.repeat(43), password: 'a brand new passphrase' })
    assert.equal(res.statusCode, 400)
    await stillSignedIn(other)
  },
  // A signed-in session has passed (or needs no) second factor: these pages send it on and change nothing.
  'GET /login/second-factor': async (me) =>
    assert.equal((await me.browser.get('/login/second-factor')).headers.location, '/account'),
  'POST /login/second-factor': async (me, other) => {
    await me.browser.get('/account')
    const res = await me.browser.post('/login/second-factor', { code: '123456' })
    assert.equal(res.headers.location, '/account')
    await stillSignedIn(other)
  },
  'GET /login/second-factor/enrol': async (me) =>
    assert.equal((await me.browser.get('/login/second-factor/enrol')).headers.location, '/account'),
  'POST /login/second-factor/enrol': async (me, other) => {
    await me.browser.get('/account')
    const res = await me.browser.post('/login/second-factor/enrol', { code: '123456' })
    assert.equal(res.headers.location, '/account')
    await stillSignedIn(other)
  },
  'GET /account/edit': async (me, other) => {
    const res = await me.browser.get('/account/edit')
    assert.equal(res.statusCode, 200)
    assert.ok(!res.body.includes(other.person.email.slice(0, 12)), 'nothing of the other address')
  },
  'POST /account/edit': async (me, other) => {
    await me.browser.get('/account/edit')
    // Another person's address cannot be taken over, not even as a pending change.
    const res = await me.browser.post('/account/edit', { email: other.person.email })
    assert.equal(res.statusCode, 400)
    assert.equal((await client(testApp).signIn(other.person.email, other.person.password)).statusCode, 303)
  },
  'POST /account/change-requests': async (me, other) => {
    await me.browser.get('/account/edit')
    const res = await me.browser.post('/account/change-requests', { field: 'surname', value: 'Жаңаболатова' })
    assert.equal(res.headers.location, '/account?done=requested')
    assert.match((await me.browser.get('/account')).body, /Жаңаболатова/)
    assert.doesNotMatch((await other.browser.get('/account')).body, /Жаңаболатова/, "not on the other's page")
    await me.browser.get('/account/edit')
  },
  // This app runs the Talap profile, which collects no avatar (avatar.pages.test.ts checks them on BTS,
  // including that another person gets nothing of someone else's picture).
  'POST /account/avatar': async (me) => {
    await me.browser.get('/account')
    assert.equal((await me.browser.post('/account/avatar')).statusCode, 404)
  },
  'POST /account/avatar/delete': async (me) => {
    await me.browser.get('/account')
    assert.equal((await me.browser.post('/account/avatar/delete')).statusCode, 404)
  },
  'GET /account/avatar': async (me) => assert.equal((await me.browser.get('/account/avatar')).statusCode, 404),
  // Minors and guardians: a person with no links gets nothing (guardians.pages.test.ts links real children).
  'GET /account/guardian': async (me) => assert.equal((await me.browser.get('/account/guardian')).statusCode, 200),
  'POST /account/guardian/invite': async (me) => {
    await me.browser.get('/account/guardian')
    const res = await me.browser.post('/account/guardian/invite', { email: 'parent@example.kz' })
    assert.equal(res.headers.location, '/account/guardian', 'only a minor awaiting a guardian invites one')
  },
  'POST /account/consent': async (me) => {
    await me.browser.get('/account/guardian')
    assert.equal((await me.browser.post('/account/consent', { acceptPolicy: 'yes' })).headers.location, '/account')
  },
  'GET /guardian/accept': async (me) =>
    assert.equal((await me.browser.get('/guardian/accept?token=x')).statusCode, 200),
  'POST /guardian/accept': async (me) => {
    await me.browser.get('/guardian/accept')
    assert.equal((await me.browser.post('/guardian/accept', { token: 'A'.repeat(43) })).statusCode, 400)
  },
  'GET /account/children': async (me) => {
    const res = await me.browser.get('/account/children')
    assert.equal(res.statusCode, 200)
    assert.doesNotMatch(res.body, /\/account\/children\/[0-9a-f-]{36}/, 'no child of anyone')
  },
  'GET /account/children/:id': async (me) =>
    assert.equal((await me.browser.get('/account/children/00000000-0000-4000-8000-000000000000')).statusCode, 404),
  'POST /account/children/:id/consent': async (me) => {
    await me.browser.get('/account/children')
    const url = '/account/children/00000000-0000-4000-8000-000000000000/consent'
    assert.equal((await me.browser.post(url, { acceptPolicy: 'yes' })).statusCode, 404)
  },
  'POST /account/children/:id/revoke': async (me) => {
    await me.browser.get('/account/children')
    const url = '/account/children/00000000-0000-4000-8000-000000000000/revoke'
    assert.equal((await me.browser.post(url)).statusCode, 404)
  },
  // Acting for a child: only a live guardian of a minor (guardian-child.pages.test.ts: another guardian, the same
  // guardian for another child, after the link ended, after the child came of age — all 404).
  'GET /account/children/:id/edit': async (me) =>
    assert.equal((await me.browser.get(`/account/children/${NO_LINK}/edit`)).statusCode, 404),
  'POST /account/children/:id/edit': async (me, other) => {
    await me.browser.get('/account/children')
    const res = await me.browser.post(`/account/children/${NO_LINK}/edit`, { email: 'taken.over@example.kz' })
    assert.equal(res.statusCode, 404)
    await stillSignedIn(other)
  },
  'POST /account/children/:id/change-requests': async (me) => {
    await me.browser.get('/account/children')
    const url = `/account/children/${NO_LINK}/change-requests`
    assert.equal((await me.browser.post(url, { field: 'surname', value: 'Басқа' })).statusCode, 404)
  },
  'POST /account/children/:id/purposes': async (me) => {
    await me.browser.get('/account/children')
    const url = `/account/children/${NO_LINK}/purposes`
    assert.equal((await me.browser.post(url, { purpose: 'marketing', on: '1' })).statusCode, 404)
  },
  'GET /api/v1/account/sessions': async (me, other) => {
    const ids = await sessionIdsOf(me)
    assert.deepEqual(
      ids.filter((id) => other.sessionIds.includes(id)),
      [],
    )
  },
}

let testApp: TestApp

for (const kind of pageDatabaseKinds())
  describe(`accounts authorization matrix [${kind}]`, () => {
    before(async () => {
      testApp = await createTestApp({ kind, env: { OQU_RATE_LIMIT: '100000' } })
    })
    after(async () => testApp?.close())

    it('lists every route the module registers, and the app serves each', async () => {
      const registered: string[] = []
      const bare = Fastify().withTypeProvider<TypeBoxTypeProvider>()
      bare.addHook('onRoute', (route) => {
        for (const method of [route.method].flat()) if (method !== 'HEAD') registered.push(`${method} ${route.url}`)
      })
      registerAccountsPages(bare, {
        views: {} as never,
        i18n: {} as never,
        secureCookies: false,
        module: {} as AccountsModule,
        policies: {} as never,
        profile: { registration: [], purposes: [] } as never,
        purposes: {} as never,
      })
      await bare.ready() // routes inside encapsulated plugins (the multipart upload) register now
      const listed = ACCOUNT_ROUTES.map((r) => `${r.method} ${r.url}`)
      assert.deepEqual(registered.sort(), [...listed].sort())
      assert.deepEqual(Object.keys(PROBES).sort(), [...listed].sort())
      for (const r of ACCOUNT_ROUTES) assert.ok(testApp.app.hasRoute({ method: r.method, url: r.url }), r.url)
    })

    it('sends anonymous visitors of every signed-in route to sign in (pages) or answers 401 (API)', async () => {
      const anonymous = client(testApp)
      await anonymous.get('/login') // a CSRF token, so a refusal cannot be the CSRF check's
      for (const route of ACCOUNT_ROUTES.filter((r) => r.access !== 'public')) {
        const url = route.url.replace(':id', '00000000-0000-4000-8000-000000000000')
        const res = route.method === 'GET' ? await anonymous.get(url) : await anonymous.post(url)
        if (url.startsWith('/api/')) {
          assert.equal(res.statusCode, 401, url)
          assert.equal(res.json().error.code, 'unauthenticated')
        } else {
          assert.equal(res.statusCode, 303, `${route.method} ${url}`)
          assert.match(String(res.headers.location), /^\/login(\?next=%2Faccount)?/)
        }
      }
      assert.equal((await anonymous.get('/login')).statusCode, 200)
      assert.equal((await anonymous.get('/logout')).headers.location, '/')
      assert.equal((await anonymous.post('/logout')).headers.location, '/')
    })

    for (const role of STAFF_ROLES) {
      it(`keeps a half-signed-in ${role} (second factor due) out of every signed-in route`, async () => {
        const person = await createPerson(testApp, [role])
        const browser = client(testApp)
        assert.equal(
          (await browser.signIn(person.email, person.password)).headers.location,
          '/login/second-factor?next=%2Faccount',
        )
        for (const route of ACCOUNT_ROUTES.filter((r) => r.access === 'user')) {
          const url = route.url.replace(':id', '00000000-0000-4000-8000-000000000000')
          await browser.get('/login/second-factor/enrol') // a CSRF token
          const res = route.method === 'GET' ? await browser.get(url) : await browser.post(url)
          if (url.startsWith('/api/')) assert.equal(res.statusCode, 401, url)
          else assert.equal(res.headers.location, '/login/second-factor', `${route.method} ${url}`)
        }
        // Nor is it signed in anywhere else: the header still offers to sign in.
        assert.match((await browser.get('/')).body, /href="\/login"/)
      })
    }

    for (const role of ROLES) {
      it(`lets a ${role} reach only their own account and sessions, not another ${role}'s`, async () => {
        const sign = async (r: Role): Promise<Signed> => {
          const person = await createPerson(testApp, [r])
          const browser = client(testApp)
          assert.ok([200, 303].includes((await completeSignIn(testApp, browser, person)).statusCode))
          const signed = { person, browser, sessionIds: [] as string[] }
          signed.sessionIds = await sessionIdsOf(signed)
          return signed
        }
        const me = await sign(role)
        const other = await sign(role)
        for (const route of ACCOUNT_ROUTES) await PROBES[`${route.method} ${route.url}` as RouteKey](me, other)
        // Signing out ends one's own session only.
        await me.browser.get('/account')
        await me.browser.post('/logout')
        assert.equal(me.browser.cookies.get(SESSION_COOKIE), undefined)
        await stillSignedIn(other)
      })
    }
  })

// B-2.2 (login dates and times, browser/OS, IP), T-4.4: server-side sessions with rotation, idle and absolute expiry.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { it } from 'node:test'
import { sql } from 'kysely'
import { describeEachDatabase } from '../../../test/database'
import { createAuditLog } from '../../platform/audit/index'
import { createTestClock } from '../../platform/clock'
import type { Ctx } from '../../platform/context'
import { createFieldCrypto, createKeyring } from '../../platform/crypto/index'
import type { Db } from '../../platform/db/database'
import { createAccountsService } from './accounts.service'
import type { AccountTables } from './accounts.tables'
import { createSessionsService, hashSessionToken, LOGIN_HISTORY_DAYS } from './sessions.service'

const clock = createTestClock('2026-03-02T08:00:00Z')
const audit = createAuditLog({ clock })
const keyring = createKeyring(new Map([['k1', randomBytes(32)]]), 'k1', randomBytes(32))
const crypto = createFieldCrypto({ keyring, audit, clock })
const accounts = createAccountsService({ audit, crypto })
const sessions = createSessionsService({ audit, crypto })
const PASSWORD = 'correct horse battery'
const CHROME_ANDROID =
  'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36'
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

let counter = 0
const email = () => `person${++counter}.${randomBytes(3).toString('hex')}@example.kz`

describeEachDatabase('sessions', (get) => {
  const ctx = (over: Partial<Ctx> = {}): Ctx => ({
    actor: null,
    requestId: `test-${randomBytes(4).toString('hex')}`,
    ip: '203.0.113.54',
    userAgent: CHROME_ANDROID,
    locale: 'kk',
    now: clock.now(),
    db: get().db,
    ...over,
  })
  const newUser = async (roles: ('learner' | 'admin' | 'dpo')[] = ['learner']) =>
    (await accounts.createAccount(ctx(), { email: email(), password: PASSWORD, roles })).id
  const row = (db: Db, id: string) =>
    db.withTables<AccountTables>().selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

  it('keeps only the SHA-256 of a random token, the IP encrypted and browser/OS summarised', async () => {
    const { db } = get()
    const userId = await newUser()
    const started = await sessions.start(ctx(), { userId })
    assert.match(started.token, /^[A-Za-z0-9_-]{43}$/)
    assert.equal(started.kind, 'standard')
    const stored = await row(db, started.id)
    assert.equal(stored.token_hash, hashSessionToken(started.token))
    assert.match(stored.ip_ciphertext ?? '', /^v1\./)
    assert.deepEqual([stored.browser, stored.os, stored.device], ['Chrome 126', 'Android 14', 'mobile'])
    const dump = await sql<{ t: string }>`select t::text as t from sessions t`.execute(db)
    const text = dump.rows.map((r) => r.t).join('\n')
    assert.ok(!text.includes(started.token), 'the token is nowhere in the table')
    assert.ok(!text.includes('203.0.113'), 'the IP is nowhere in clear')
    assert.ok(!text.includes('Mozilla'), 'the raw User-Agent is not kept')
  })

  it('audits session.created with the person as actor, by id only', async () => {
    const { db } = get()
    const userId = await newUser()
    const started = await sessions.start(ctx(), { userId })
    const entry = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_kind', 'actor_id', 'subject_id', 'target_type', 'target_id', 'data'])
      .where('target_id', '=', started.id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(entry, {
      action: 'session.created',
      actor_kind: 'user',
      actor_id: userId,
      subject_id: userId,
      target_type: 'session',
      target_id: started.id,
      data: { kind: 'standard' },
    })
  })

  it('resolves a live token and nothing else', async () => {
    const userId = await newUser()
    const started = await sessions.start(ctx(), { userId })
    const resolved = await sessions.resolve(ctx(), started.token)
    assert.equal(resolved?.id, started.id)
    assert.deepEqual(resolved?.roles, ['learner'])
    for (const bad of ['', 'x', started.token.slice(0, 42), started.token + 'A', randomBytes(32).toString('base64url')])
      assert.equal(await sessions.resolve(ctx(), bad), undefined, bad)
  })

  it('ends an unused standard session after 7 idle days; use pushes the idle end, up to 30 days', async () => {
    const userId = await newUser()
    const idle = await sessions.start(ctx(), { userId })
    clock.advance(7 * DAY - MINUTE)
    assert.ok(await sessions.resolve(ctx(), idle.token), 'still alive just before 7 idle days')
    clock.advance(7 * DAY - MINUTE)
    assert.ok(await sessions.resolve(ctx(), idle.token), 'the previous use pushed the idle end')
    clock.advance(7 * DAY + 1000)
    assert.equal(await sessions.resolve(ctx(), idle.token), undefined, 'ended after 7 idle days')

    const busy = await sessions.start(ctx(), { userId })
    for (let day = 6; day < 30; day += 6) {
      clock.advance(6 * DAY)
      assert.ok(await sessions.resolve(ctx(), busy.token), `alive on day ${day}`)
    }
    clock.advance(6 * DAY)
    assert.equal(await sessions.resolve(ctx(), busy.token), undefined, 'ended at 30 days however busy')
  })

  it('gives staff sessions 1 hour idle and 12 hours at most', async () => {
    const userId = await newUser(['admin'])
    const started = await sessions.start(ctx(), { userId })
    assert.equal(started.kind, 'staff')
    clock.advance(HOUR + 1000)
    assert.equal(await sessions.resolve(ctx(), started.token), undefined)
    const half = await sessions.start(ctx(), { userId })
    assert.equal(half.secondFactor, 'pending')
    const busy = (await sessions.passSecondFactor(ctx(), half))!
    assert.equal(busy.secondFactor, 'passed')
    assert.equal(await sessions.resolve(ctx(), half.token), undefined, 'the half-signed-in token is replaced')
    for (let i = 0; i < 23; i++) {
      clock.advance(30 * MINUTE)
      assert.ok(await sessions.resolve(ctx(), busy.token), `alive after ${(i + 1) / 2} h`)
    }
    clock.advance(30 * MINUTE)
    assert.equal(await sessions.resolve(ctx(), busy.token), undefined)
  })

  it('keeps a staff session half signed in until its second factor, for a quarter of an hour at most', async () => {
    const userId = await newUser(['dpo'])
    const half = await sessions.start(ctx(), { userId })
    assert.equal((await sessions.resolve(ctx(), half.token))?.secondFactor, 'pending')
    clock.advance(15 * MINUTE - 1000)
    assert.equal((await sessions.resolve(ctx(), half.token))?.secondFactor, 'pending')
    clock.advance(1000)
    assert.equal(await sessions.resolve(ctx(), half.token), undefined)
    assert.equal(await sessions.passSecondFactor(ctx(), half), undefined, 'too late for the code')
    const learner = await sessions.start(ctx(), { userId: await newUser(['learner']) })
    assert.equal(learner.secondFactor, 'not_required')
  })

  it('stops a long session when a staff role is granted after sign-in, and when the account is blocked', async () => {
    const { db } = get()
    const promoted = await newUser()
    const started = await sessions.start(ctx(), { userId: promoted })
    await sql`insert into user_roles (user_id, role, granted_at, granted_by) values (${promoted}, 'support', ${clock.now()}, 'system')`.execute(
      db,
    )
    assert.equal(await sessions.resolve(ctx(), started.token), undefined)
    const blocked = await newUser()
    const other = await sessions.start(ctx(), { userId: blocked })
    await sql`update users set status = 'blocked' where id = ${blocked}`.execute(db)
    assert.equal(await sessions.resolve(ctx(), other.token), undefined)
  })

  it('writes last_seen_at at most once a minute, and the account’s last activity with it', async () => {
    const { db } = get()
    const userId = await newUser()
    const started = await sessions.start(ctx(), { userId })
    const first = (await row(db, started.id)).last_seen_at
    clock.advance(59_000)
    await sessions.resolve(ctx(), started.token)
    assert.deepEqual((await row(db, started.id)).last_seen_at, first, 'not written within the minute')
    clock.advance(1000)
    await sessions.resolve(ctx(), started.token)
    assert.deepEqual((await row(db, started.id)).last_seen_at, clock.now())
    const user = await db
      .withTables<AccountTables>()
      .selectFrom('users')
      .select('last_active_at')
      .where('id', '=', userId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(user.last_active_at, clock.now())
  })

  it('replaces the browser’s previous session at sign-in: a new token, the old one revoked', async () => {
    const userId = await newUser()
    const before = await sessions.start(ctx(), { userId })
    const current = await sessions.resolve(ctx(), before.token)
    const after = await sessions.start(ctx(), { userId, replacing: current })
    assert.notEqual(after.token, before.token)
    assert.notEqual(after.id, before.id)
    assert.equal(await sessions.resolve(ctx(), before.token), undefined)
    assert.equal((await row(get().db, before.id)).revoked_reason, 'replaced')
  })

  it('revokes only the owner’s sessions, audited; and all others at once', async () => {
    const { db } = get()
    const owner = await newUser()
    const stranger = await newUser()
    const a = await sessions.start(ctx(), { userId: owner })
    const b = await sessions.start(ctx(), { userId: owner })
    const c = await sessions.start(ctx(), { userId: owner })
    assert.equal(await sessions.revoke(ctx(), { userId: stranger, sessionId: a.id, reason: 'revoked' }), false)
    assert.ok(await sessions.resolve(ctx(), a.token), 'a stranger cannot end it')
    assert.equal(await sessions.revoke(ctx(), { userId: owner, sessionId: a.id, reason: 'revoked' }), true)
    assert.equal(await sessions.revoke(ctx(), { userId: owner, sessionId: a.id, reason: 'revoked' }), false)
    assert.equal(await sessions.resolve(ctx(), a.token), undefined)
    assert.equal(await sessions.revokeOthers(ctx(), { userId: owner, keepSessionId: c.id }), 1)
    assert.equal(await sessions.resolve(ctx(), b.token), undefined)
    assert.ok(await sessions.resolve(ctx(), c.token))
    const revoked = await db
      .selectFrom('audit_log')
      .select(['target_id', 'data'])
      .where('action', '=', 'session.revoked')
      .where('subject_id', '=', owner)
      .orderBy('id')
      .execute()
    assert.deepEqual(revoked, [
      { target_id: a.id, data: { reason: 'revoked' } },
      { target_id: b.id, data: { reason: 'revoked_others' } },
    ])
  })

  it('lists open sessions and the login history with masked IPs, then purges history after 90 days', async () => {
    const userId = await newUser()
    const phone = await sessions.start(ctx(), { userId })
    clock.advance(HOUR)
    const laptopUa = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0'
    const laptop = await sessions.start(ctx({ ip: '2001:db8::7', userAgent: laptopUa }), { userId })
    await sessions.revoke(ctx(), { userId, sessionId: phone.id, reason: 'signed_out' })
    const list = await sessions.list(ctx(), { userId, currentSessionId: laptop.id })
    assert.deepEqual(
      list.map((s) => [s.id, s.state, s.current, s.browser, s.os, s.device, s.maskedIp]),
      [
        [laptop.id, 'active', true, 'Firefox 128', 'Windows 10/11', 'desktop', '2001:db8:•••'],
        [phone.id, 'signed_out', false, 'Chrome 126', 'Android 14', 'mobile', '203.0.•••.•••'],
      ],
    )
    assert.deepEqual(list[1]?.endedAt, clock.now())
    assert.deepEqual(await sessions.list(ctx(), { userId: await newUser() }), [], 'nobody else’s sessions')
    clock.advance(LOGIN_HISTORY_DAYS * DAY + 1000)
    assert.ok((await sessions.purgeEnded(ctx())) >= 2)
    assert.deepEqual(await sessions.list(ctx(), { userId }), [])
  })
})

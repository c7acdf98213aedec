import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { it } from 'node:test'
import { sql } from 'kysely'
import { describeEachDatabase } from '../../../test/database'
import { createAuditLog, type AuditLog } from '../../platform/audit/index'
import { createTestClock } from '../../platform/clock'
import { systemCtx } from '../../platform/context'
import { createFieldCrypto, createKeyring } from '../../platform/crypto/index'
import type { Db } from '../../platform/db/database'
import { EmailTakenError, InvalidEmailError, InvalidRoleError, WeakPasswordError } from './accounts.errors'
import { createAccountsService } from './accounts.service'
import type { AccountTables } from './accounts.tables'
import { verifyPassword } from './passwords'

const clock = createTestClock('2026-03-01T10:00:00Z')
const audit = createAuditLog({ clock })
const keyring = createKeyring(new Map([['k1', randomBytes(32)]]), 'k1', randomBytes(32))
const crypto = createFieldCrypto({ keyring, audit, clock })
const accounts = createAccountsService({ audit, crypto })
const PASSWORD = 'correct horse battery'

/** Row counts of every table an account creation writes to. */
async function counts(db: Db) {
  const r = await sql<{ users: string; roles: string; keys: string; audit: string }>`
    select (select count(*) from users) as users, (select count(*) from user_roles) as roles,
           (select count(*) from subject_keys) as keys, (select count(*) from audit_log) as audit`.execute(db)
  return r.rows[0]
}

/** Every row of the tables an account touches, as text. */
async function everything(db: Db): Promise<string> {
  const r = await sql<{ t: string }>`
    select t::text as t from users t union all select t::text from user_roles t
    union all select t::text from subject_keys t union all select t::text from audit_log t`.execute(db)
  return r.rows.map((row) => row.t).join('\n')
}

async function auditOf(db: Db, subjectId: string) {
  return db
    .selectFrom('audit_log')
    .select(['action', 'subject_type', 'subject_id', 'data'])
    .where('subject_id', '=', subjectId)
    .orderBy('id')
    .execute()
}

describeEachDatabase('accounts service', (get) => {
  const ctx = () => systemCtx(get().db, clock)

  it('creates an active account with its roles, found again by any form of its e-mail address', async () => {
    const account = await accounts.createAccount(ctx(), {
      email: '  Aigerim.S@Example.KZ ',
      password: PASSWORD,
      roles: ['learner', 'guardian', 'learner'],
    })
    assert.match(account.id, /^[0-9a-f-]{36}$/)
    assert.equal(account.status, 'active')
    assert.deepEqual(account.roles, ['guardian', 'learner'])
    assert.equal(account.createdAt.toISOString(), '2026-03-01T10:00:00.000Z')
    assert.equal(account.lastActiveAt, null)
    const found = await accounts.findByEmail(ctx(), 'aigerim.s@example.kz')
    assert.deepEqual(found, account)
    assert.equal(await accounts.getEmail(ctx(), account.id), 'aigerim.s@example.kz')
  })

  it('stores the address only as ciphertext under the user’s own data key, and the password as argon2id', async () => {
    const { db } = get()
    const account = await accounts.createAccount(ctx(), { email: 'dana.k@mektep.kz', password: PASSWORD, roles: [] })
    const row = await db
      .withTables<AccountTables>()
      .selectFrom('users')
      .selectAll()
      .where('id', '=', account.id)
      .executeTakeFirstOrThrow()
    assert.match(row.email_ciphertext ?? '', /^v1\.1\./)
    assert.ok(row.email_index && row.email_index.length >= 40)
    assert.match(row.password_hash ?? '', /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    assert.ok(await verifyPassword(row.password_hash!, PASSWORD))
    const text = await everything(db)
    assert.ok(!text.includes('dana.k'), 'no table holds the address, or even its local part, in clear')
    assert.ok(!text.includes('mektep.kz'))
    assert.ok(!text.includes(PASSWORD))
    const key = await db.selectFrom('subject_keys').select('subject_id').where('subject_id', '=', account.id).execute()
    assert.equal(key.length, 1, 'the address is encrypted under a data key of the new user')
  })

  it('audits account.created and role.granted by id only', async () => {
    const { db } = get()
    const account = await accounts.createAccount(ctx(), {
      email: 'audit.me@example.kz',
      password: PASSWORD,
      roles: ['admin'],
    })
    const entries = await auditOf(db, account.id)
    assert.deepEqual(
      entries.map((e) => [e.action, e.subject_type, e.data]),
      [
        ['account.created', 'user', {}],
        ['role.granted', 'user', { role: 'admin' }],
      ],
    )
    assert.ok(!JSON.stringify(entries).includes('audit.me'))
    const roles = await db
      .withTables<AccountTables>()
      .selectFrom('user_roles')
      .select(['role', 'granted_by', 'granted_at'])
      .where('user_id', '=', account.id)
      .execute()
    assert.deepEqual(roles, [{ role: 'admin', granted_by: 'system', granted_at: clock.now() }])
  })

  it('refuses a second account with the same address, however typed, and writes nothing', async () => {
    const { db } = get()
    await accounts.createAccount(ctx(), { email: 'twice@example.kz', password: PASSWORD, roles: ['learner'] })
    const before = await counts(db)
    await assert.rejects(
      accounts.createAccount(ctx(), {
        email: ' TWICE@example.KZ',
        password: 'another long password',
        roles: ['admin'],
      }),
      (err: unknown) => err instanceof EmailTakenError && err.code === 'accounts.email_taken' && err.status === 409,
    )
    assert.deepEqual(await counts(db), before)
  })

  it('lets only one of two simultaneous registrations of one address through', async () => {
    const { db } = get()
    const before = await counts(db)
    // Both transactions pass the duplicate check before either inserts (where the database allows two at
    // once; PGlite runs them one after the other): then the unique index has to stop the second.
    let waiting = 0
    let release = () => {}
    const bothChecked = new Promise<void>((resolve) => (release = resolve))
    const racing = createAccountsService({
      audit,
      crypto: {
        ...crypto,
        async encryptField(d, ref, plaintext) {
          if (++waiting === 2) release()
          await Promise.race([bothChecked, new Promise((r) => setTimeout(r, 300))])
          return crypto.encryptField(d, ref, plaintext)
        },
      },
    })
    const results = await Promise.allSettled(
      [1, 2].map(() =>
        racing.createAccount(ctx(), { email: 'race@example.kz', password: PASSWORD, roles: ['learner'] }),
      ),
    )
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1)
    const failed = results.find((r) => r.status === 'rejected')
    assert.ok(failed && failed.reason instanceof EmailTakenError, String(failed?.reason))
    const after = await counts(db)
    assert.equal(Number(after?.users) - Number(before?.users), 1)
  })

  it('leaves no half-created account when a later step fails', async () => {
    const { db } = get()
    const failing: AuditLog = {
      ...audit,
      async record(c, event) {
        if (event.action === 'role.granted') throw new Error('audit store unavailable')
        return audit.record(c, event)
      },
    }
    const broken = createAccountsService({ audit: failing, crypto })
    const before = await counts(db)
    await assert.rejects(
      broken.createAccount(ctx(), { email: 'half@example.kz', password: PASSWORD, roles: ['admin'] }),
      /audit store unavailable/,
    )
    assert.deepEqual(await counts(db), before)
    assert.equal(await accounts.findByEmail(ctx(), 'half@example.kz'), undefined)
  })

  it('refuses a weak password with a clear code, before writing anything', async () => {
    const { db } = get()
    const before = await counts(db)
    const cases: [string, string][] = [
      ['short-pass', 'accounts.password_too_short'],
      ['aaaaaaaaaaaaaaaa', 'accounts.password_repetitive'],
      ['x'.repeat(200) + 'y'.repeat(57), 'accounts.password_too_long'],
    ]
    for (const [password, code] of cases) {
      await assert.rejects(
        accounts.createAccount(ctx(), { email: 'weak@example.kz', password, roles: ['learner'] }),
        (err: unknown) => err instanceof WeakPasswordError && err.code === code && !err.message.includes(password),
      )
    }
    assert.deepEqual(await counts(db), before)
  })

  it('refuses an invalid address or an unknown role', async () => {
    await assert.rejects(
      accounts.createAccount(ctx(), { email: 'not-an-address', password: PASSWORD, roles: ['learner'] }),
      InvalidEmailError,
    )
    await assert.rejects(
      // @ts-expect-error: a role the platform does not know
      accounts.createAccount(ctx(), { email: 'role@example.kz', password: PASSWORD, roles: ['superuser'] }),
      (err: unknown) => err instanceof InvalidRoleError && err.code === 'accounts.role_invalid',
    )
  })

  it('finds nothing for unknown or malformed addresses and ids', async () => {
    assert.equal(await accounts.findByEmail(ctx(), 'nobody@example.kz'), undefined)
    assert.equal(await accounts.findByEmail(ctx(), 'not an address'), undefined)
    assert.equal(await accounts.getEmail(ctx(), '00000000-0000-4000-8000-000000000000'), undefined)
    assert.equal(await accounts.getEmail(ctx(), 'not-a-uuid'), undefined)
  })

  it('the schema itself refuses a plain address, a plain password and an unknown role', async () => {
    const { db } = get()
    const t = db.withTables<AccountTables>()
    const now = clock.now()
    const base = { status: 'active' as const, created_at: now, updated_at: now, last_active_at: null }
    const id = () => globalThis.crypto.randomUUID()
    const insert = (values: Partial<{ email_ciphertext: string; email_index: string; password_hash: string }>) =>
      t
        .insertInto('users')
        .values({ id: id(), email_ciphertext: null, email_index: null, password_hash: null, ...base, ...values })
        .execute()
    await assert.rejects(insert({ email_ciphertext: 'plain@example.kz' }), /users_email_ciphertext_not_plain/)
    await assert.rejects(insert({ email_ciphertext: 'v1.x', email_index: 'plain@example.kz' }), /not_plain/)
    await assert.rejects(insert({ password_hash: 'correct horse battery' }), /users_password_hash_argon2id/)
    await assert.rejects(insert({ email_index: 'abc' }), /users_email_index_has_address/)
    const account = await accounts.createAccount(ctx(), { email: 'schema@example.kz', password: PASSWORD, roles: [] })
    await assert.rejects(
      sql`insert into user_roles (user_id, role, granted_at, granted_by) values (${account.id}, 'root', now(), 'system')`.execute(
        db,
      ),
      /user_roles_role_check/,
    )
  })
})

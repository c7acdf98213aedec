// T-1.2, T-2.1, T-3.2, T-5.2.1, law Art. 8(4): registration with the profile's fields and the policy accepted, in one go.
import assert from 'node:assert/strict'
import { before, it } from 'node:test'
import { sql } from 'kysely'
import { describeEachDatabase } from '../../../test/database'
import type { Db } from '../../platform/db/database'
import { PolicyTextMismatchError } from '../privacy/index'
import { RegistrationInvalidError } from './accounts.errors'
import type { RegisterInput } from './registration.service'
import { accountsHarness, PASSWORD, type Harness } from './test-fixtures'

/** Row counts of every table a registration writes to. */
async function counts(db: Db) {
  const r = await sql<Record<string, string>>`
    select (select count(*) from users) as users, (select count(*) from user_roles) as roles,
      (select count(*) from consent_records) as consents, (select count(*) from notifications) as messages,
      (select count(*) from sessions) as sessions, (select count(*) from account_tokens) as tokens,
      (select count(*) from subject_keys) as keys`.execute(db)
  return r.rows[0]
}

async function everything(db: Db): Promise<string> {
  const r = await sql<{ t: string }>`
    select t::text as t from users t union all select t::text from consent_records t
    union all select t::text from notifications t union all select t::text from audit_log t
    union all select t::text from account_tokens t union all select t::text from jobs t`.execute(db)
  return r.rows.map((row) => row.t).join('\n')
}

const problemsOf = (err: unknown) => {
  assert.ok(err instanceof RegistrationInvalidError, String(err))
  return Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, v.code]))
}

describeEachDatabase('registration', (get) => {
  let h: Harness
  let n = 0
  before(async () => {
    h = await accountsHarness(get().db, 'talap')
  })

  const talapInput = async (over: Partial<Record<string, string>> = {}): Promise<RegisterInput> => {
    n++
    return {
      asked: h.asked,
      raw: {
        surname: 'Сейітқали',
        givenName: 'Әйгерім',
        patronymic: 'Нұрланқызы',
        phone: `8 701 555 ${String(10 + n).padStart(2, '0')} 0${n % 10}`,
        email: `aigerim.${n}@mail.kz`,
        iin: ['950302300128', '010203500454', '880711401233', '991231300777', '000101500001'][n % 5]!,
        ...over,
      },
      password: PASSWORD,
      acceptedPolicy: true,
      policy: await h.shownPolicy('kk'),
    }
  }

  it('asks a Talap learner exactly for names, phone, e-mail and IIN', () => {
    assert.deepEqual(
      h.asked.map((f) => `${f.name}${f.required ? '*' : ''}`),
      ['surname*', 'givenName*', 'patronymic', 'phone*', 'email*', 'iin*'],
    )
  })

  it('creates the account, its encrypted fields, the acceptance of the text shown, the messages and a session', async () => {
    const { db } = get()
    const input = await talapInput({ iin: '900515301234' })
    const done = await h.registration.register(h.ctx(), input)
    assert.match(done.session.token, /^[A-Za-z0-9_-]{43}$/)
    const account = await h.accounts.findById(h.ctx(), done.userId)
    assert.deepEqual(account?.roles, ['learner'])
    assert.equal(await h.accounts.getEmail(h.ctx(), done.userId), input.raw.email)
    assert.match((await h.accounts.getPhone(h.ctx(), done.userId)) ?? '', /^\+77015551\d{3}$/)
    const consent = await h.consents.findRecord(db, done.consentId)
    assert.equal(consent?.subjectId, done.userId)
    assert.equal(consent?.textSha256, input.policy.textSha256)
    assert.equal(consent?.channel, 'web_registration')
    assert.match(
      await h.latest(input.raw.email!, 'accounts.verify_email'),
      /https:\/\/oqu\.example\.kz\/account\/verify-email\?token=/,
    )
    const phone = await h.accounts.getPhone(h.ctx(), done.userId)
    assert.match(await h.latest(phone!, 'accounts.verify_phone'), /\b\d{6}\b/)
    const text = await everything(db)
    for (const plain of ['Сейітқали', 'Әйгерім', 'Нұрланқызы', '900515301234', phone!, input.raw.email!])
      assert.ok(!text.includes(plain), `${plain} is stored in clear somewhere`)
    const actions = await db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', done.userId)
      .orderBy('id')
      .execute()
    assert.deepEqual(
      actions.map((a) => a.action),
      [
        'account.created',
        'role.granted',
        'consent.recorded',
        'account.email_link_sent',
        'account.phone_code_sent',
        'session.created',
      ],
    )
  })

  it('reports every problem at once, next to its field, and writes nothing', async () => {
    const before = await counts(get().db)
    const input = await talapInput({
      surname: ' ',
      iin: '900515301235',
      phone: '+7 916 123 45 67',
      email: 'not-an-address',
      givenName: 'R2-D2',
    })
    await assert.rejects(
      h.registration.register(h.ctx(), { ...input, password: 'short', acceptedPolicy: false }),
      (err: unknown) => {
        assert.deepEqual(problemsOf(err), {
          surname: 'accounts.field_required',
          givenName: 'accounts.name_invalid',
          phone: 'accounts.phone_not_kz',
          email: 'accounts.email_invalid',
          iin: 'accounts.iin_checksum',
          password: 'accounts.password_too_short',
          acceptPolicy: 'accounts.policy_not_accepted',
        })
        return true
      },
    )
    assert.deepEqual(await counts(get().db), before)
  })

  it('refuses an e-mail address, phone number or IIN another account holds, and writes nothing', async () => {
    const first = await talapInput({ iin: '061211600012' })
    await h.registration.register(h.ctx(), first)
    const before = await counts(get().db)
    const again = await talapInput({
      email: first.raw.email!.toUpperCase(),
      phone: first.raw.phone!.replace(/^8/, '+7'),
      iin: '061211600012',
    })
    await assert.rejects(h.registration.register(h.ctx(), again), (err: unknown) => {
      assert.deepEqual(problemsOf(err), {
        email: 'accounts.email_taken',
        phone: 'accounts.phone_taken',
        iin: 'accounts.iin_taken',
      })
      return true
    })
    assert.deepEqual(await counts(get().db), before)
  })

  it('refuses acceptance of a text that was not shown, and writes nothing', async () => {
    const before = await counts(get().db)
    const input = await talapInput({ iin: '851231400011' })
    await assert.rejects(
      h.registration.register(h.ctx(), { ...input, policy: { ...input.policy, textSha256: 'f'.repeat(64) } }),
      PolicyTextMismatchError,
    )
    assert.deepEqual(await counts(get().db), before)
  })
})

describeEachDatabase('registration with the BTS profile', (get) => {
  it('asks for phone, e-mail, user name, gender and birth date — never an IIN — and stores only what it asks', async () => {
    const h = await accountsHarness(get().db, 'bts-education')
    assert.deepEqual(
      h.asked.map((f) => `${f.name}${f.required ? '*' : ''}`),
      ['phone*', 'email*', 'userName*', 'gender', 'birthDate'],
    )
    const done = await h.registration.register(h.ctx(), {
      asked: h.asked,
      raw: {
        phone: '+7 747 123 45 67',
        email: 'dana@bts.kz',
        userName: 'dana_k',
        gender: 'female',
        birthDate: '2004-09-01',
        iin: '900515301234',
      },
      password: PASSWORD,
      acceptedPolicy: true,
      policy: await h.shownPolicy('ru'),
    })
    const row = await sql<{ iin: string | null; user_name: string | null; birth: string | null }>`
      select iin_ciphertext as iin, user_name_ciphertext as user_name, birth_date_ciphertext as birth
      from users where id = ${done.userId}`.execute(get().db)
    assert.equal(row.rows[0]?.iin, null, 'an IIN typed into a BTS form is not stored')
    assert.match(row.rows[0]?.user_name ?? '', /^v1\./)
    assert.match(row.rows[0]?.birth ?? '', /^v1\./)
    await assert.rejects(
      h.registration.register(h.ctx(), {
        asked: h.asked,
        raw: { phone: '+7 747 123 45 68', email: 'x@bts.kz', userName: 'x', birthDate: '2030-01-01', gender: 'other' },
        password: PASSWORD,
        acceptedPolicy: true,
        policy: await h.shownPolicy('ru'),
      }),
      (err: unknown) => {
        assert.deepEqual(problemsOf(err), {
          userName: 'accounts.user_name_invalid',
          gender: 'accounts.gender_invalid',
          birthDate: 'accounts.birth_date_invalid',
        })
        return true
      },
    )
  })
})

// T-5.2.2: the owner corrects their data; a new e-mail or phone counts only once verified (the old one stays until
// then, an unverified change expires); IIN and legal names change only through a request the DPO decides. Bad input
// (malformed IIN, foreign phone, duplicate e-mail) changes nothing. Audit entries name ids and fields only.
import assert from 'node:assert/strict'
import { before, it } from 'node:test'
import { sql } from 'kysely'
import { describeEachDatabase } from '../../../test/database'
import type { Ctx, Role } from '../../platform/context'
import type { Db } from '../../platform/db/database'
import {
  IinTakenError,
  InvalidIinError,
  LinkInvalidError,
  NotAllowedError,
  RegistrationInvalidError,
  RequestDecidedError,
} from './accounts.errors'
import { clearExpiredPending } from './corrections.repository'
import { CHANGE_REQUEST_VALUE_FIELD } from './corrections.service'
import { accountsHarness, iinFor, PASSWORD, type Harness } from './test-fixtures'

const HOUR = 3_600_000

const problemsOf = (err: unknown) => {
  assert.ok(err instanceof RegistrationInvalidError, String(err))
  return Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, v.code]))
}

/** Everything stored that could hold a value in clear: users, requests, audit, outbox. */
async function dump(db: Db): Promise<string> {
  const r = await sql<{ t: string }>`
    select t::text as t from users t union all select t::text from data_change_requests t
    union all select t::text from audit_log t`.execute(db)
  return r.rows.map((row) => row.t).join('\n')
}

const auditOf = async (db: Db, userId: string) =>
  (
    await sql<{ action: string; data: unknown }>`
      select action, data from audit_log where subject_id = ${userId} order by seq`.execute(db)
  ).rows

async function userRow(db: Db, id: string) {
  const r = await sql<Record<string, unknown>>`select * from users where id = ${id}`.execute(db)
  return r.rows[0]!
}

describeEachDatabase('corrections (Talap)', (get) => {
  let h: Harness
  let n = 0
  before(async () => {
    h = await accountsHarness(get().db, 'talap', '2026-05-04T05:00:00Z')
  })

  async function register(over: Partial<Record<string, string>> = {}) {
    n++
    const email = `corr.${n}.${Date.now() % 100000}@mail.kz`
    const done = await h.registration.register(h.ctx(), {
      asked: h.asked,
      raw: {
        surname: 'Сейітқали',
        givenName: 'Әйгерім',
        phone: `8 702 555 ${String(10 + n).padStart(2, '0')} ${String(n).padStart(2, '0')}`,
        email,
        iin: iinFor(100 + n),
        ...over,
      },
      password: PASSWORD,
      acceptedPolicy: true,
      policy: await h.shownPolicy('kk'),
    })
    return { id: done.userId, email }
  }
  const as = (id: string, roles: Role[] = ['learner']): Ctx => h.ctx({ actor: { kind: 'user', id, roles } })

  it('keeps the old address until the link sent to the new one comes back, then switches and marks it verified', async () => {
    const { db } = get()
    const me = await register()
    const newEmail = `new.${n}@Почта.kz`
    const result = await h.corrections.updateProfile(as(me.id), me.id, { asked: h.asked, values: { email: newEmail } })
    assert.deepEqual(result, { changed: [], emailPending: true, phonePending: false })
    assert.equal(await h.accounts.getEmail(h.ctx(), me.id), me.email, 'the old address is still in force')
    assert.equal((await h.accounts.findByEmail(h.ctx(), newEmail))?.id, undefined, 'the new one signs nobody in yet')
    const pending = await h.verification.pendingIdentifiers(h.ctx(), me.id)
    assert.equal(pending.email?.value, `new.${n}@почта.kz`)
    const message = await h.latest(`new.${n}@почта.kz`, 'accounts.verify_email')
    const token = /token=([A-Za-z0-9_-]{43})/.exec(message)![1]!
    assert.ok(!(await dump(db)).includes(`new.${n}@`), 'the new address is stored only encrypted')

    await h.verification.confirmEmail(h.ctx(), token)
    assert.equal(await h.accounts.getEmail(h.ctx(), me.id), `new.${n}@почта.kz`)
    assert.equal((await h.accounts.findByEmail(h.ctx(), newEmail))?.id, me.id)
    assert.equal(await h.accounts.findByEmail(h.ctx(), me.email), undefined, 'the old address is gone')
    const row = await userRow(db, me.id)
    assert.equal(row.pending_email_ciphertext, null)
    assert.ok(row.email_verified_at instanceof Date)
    const actions = (await auditOf(db, me.id)).map((a) => a.action)
    assert.ok(actions.includes('account.email_change_requested') && actions.includes('account.email_changed'))
    await assert.rejects(h.verification.confirmEmail(h.ctx(), token), LinkInvalidError, 'a link works once')
  })

  it('drops an unverified new address when it expires; the link no longer works and the old address stays', async () => {
    const { db } = get()
    const me = await register()
    await h.corrections.updateProfile(as(me.id), me.id, { asked: h.asked, values: { email: `late.${n}@mail.kz` } })
    const token = /token=([A-Za-z0-9_-]{43})/.exec(await h.latest(`late.${n}@mail.kz`, 'accounts.verify_email'))![1]!
    h.clock.advance(48 * HOUR + 1000)
    assert.deepEqual(await h.verification.pendingIdentifiers(h.ctx(), me.id), {})
    await assert.rejects(h.verification.confirmEmail(h.ctx(), token), LinkInvalidError)
    assert.equal(await h.accounts.getEmail(h.ctx(), me.id), me.email)
    assert.ok((await clearExpiredPending(db, h.clock.now())) >= 1)
    assert.equal((await userRow(db, me.id)).pending_email_index, null)
  })

  it('changes the phone number only with the SMS code sent to the new one', async () => {
    const me = await register()
    const old = await h.accounts.getPhone(h.ctx(), me.id)
    const result = await h.corrections.updateProfile(as(me.id), me.id, {
      asked: h.asked,
      values: { phone: '+7 705 900 11 22' },
    })
    assert.equal(result.phonePending, true)
    assert.equal(await h.accounts.getPhone(h.ctx(), me.id), old)
    const code = /\d{6}/.exec(await h.latest('+77059001122', 'accounts.verify_phone'))![0]
    await h.verification.confirmPhone(h.ctx(), me.id, code)
    assert.equal(await h.accounts.getPhone(h.ctx(), me.id), '+77059001122')
    assert.ok((await h.accounts.findById(h.ctx(), me.id))?.phoneVerifiedAt)
  })

  it('refuses a foreign phone, a duplicate or malformed e-mail, and the same value, changing nothing', async () => {
    const { db } = get()
    const me = await register()
    const other = await register()
    const before = await userRow(db, me.id)
    const attempt = (values: Record<string, string>) =>
      h.corrections
        .updateProfile(as(me.id), me.id, { asked: h.asked, values })
        .then(() => assert.fail('accepted'), problemsOf)
    assert.deepEqual(await attempt({ phone: '+7 916 123 45 67' }), { phone: 'accounts.phone_not_kz' })
    assert.deepEqual(await attempt({ phone: '+998 90 123 45 67' }), { phone: 'accounts.phone_not_kz' })
    assert.deepEqual(await attempt({ email: other.email.toUpperCase() }), { email: 'accounts.email_taken' })
    assert.deepEqual(await attempt({ email: 'not an address' }), { email: 'accounts.email_invalid' })
    assert.deepEqual(await attempt({ email: me.email, phone: '8 (705) 900 11 23' }), { email: 'accounts.change_same' })
    assert.deepEqual(await userRow(db, me.id), before)
    const actions = (await auditOf(db, me.id)).map((a) => a.action)
    assert.ok(!actions.some((a) => a.includes('change_requested') || a.includes('corrected')))
  })

  it('files a correction of the IIN or a name for the DPO; a malformed IIN is refused', async () => {
    const { db } = get()
    const me = await register()
    const file = (field: string, value: string, reason = '') =>
      h.corrections.fileRequest(as(me.id), me.id, { field, value, reason, asked: h.asked })
    assert.deepEqual(await file('iin', '123456789012').catch(problemsOf), { value: 'accounts.iin_checksum' })
    assert.deepEqual(await file('iin', '12345').catch(problemsOf), { value: 'accounts.iin_format' })
    assert.deepEqual(await file('surname', 'Сейітқали').catch(problemsOf), { value: 'accounts.change_same' })
    assert.deepEqual(await file('surname', 'X'.repeat(3), 'y'.repeat(1001)).catch(problemsOf), {
      reason: 'accounts.reason_too_long',
    })
    assert.deepEqual(await file('email', 'a@b.kz').catch(problemsOf), { field: 'accounts.field_required' })
    assert.equal((await h.corrections.listOwn(h.ctx(), me.id)).length, 0, 'nothing filed')
    const newIin = iinFor(900 + n)
    const { id } = await file('iin', newIin, 'Тіркелгенде қате жазылды')
    const own = await h.corrections.listOwn(h.ctx(), me.id)
    assert.deepEqual(
      own.map((r) => [r.id, r.field, r.shownValue, r.status]),
      [[id, 'iin', `••••••••${newIin.slice(-4)}`, 'open']],
    )
    assert.ok(!(await dump(db)).includes(newIin), 'the requested IIN is stored only encrypted')
    assert.ok(!(await dump(db)).includes('қате жазылды'), 'the reason too')
    const filed = (await auditOf(db, me.id)).find((a) => a.action === 'account.change_requested')
    assert.deepEqual(filed?.data, { field: 'iin' })
  })

  it('lets only the DPO list, open and decide requests; approval applies a valid, free IIN and is audited', async () => {
    const { db } = get()
    const me = await register()
    const holder = await register()
    const dpoId = (await register()).id
    await sql`insert into user_roles (user_id, role, granted_at, granted_by) values (${dpoId}, 'dpo', now(), ${dpoId})`.execute(
      db,
    )
    const dpo = () => as(dpoId, ['dpo'])
    const file = async (field: string, value: string) => {
      h.clock.advance(60_000) // newest first on the person's page
      return (await h.corrections.fileRequest(as(me.id), me.id, { field, value, reason: '', asked: h.asked })).id
    }

    const taken = await file('iin', (await h.accounts.getProfileFields(h.ctx(), holder.id)).iin!)
    for (const actor of [as(me.id), as(holder.id, ['admin']), as(holder.id, ['support'])]) {
      await assert.rejects(h.corrections.decide(actor, taken, 'approve'), NotAllowedError)
      await assert.rejects(h.corrections.listForDpo(actor), NotAllowedError)
      await assert.rejects(h.corrections.getForDecision(actor, taken), NotAllowedError)
    }
    assert.ok((await h.corrections.listForDpo(dpo())).some((r) => r.id === taken && r.userId === me.id))
    const opened = await h.corrections.getForDecision(dpo(), taken)
    assert.equal(opened.field, 'iin')
    assert.equal(opened.current, (await h.accounts.getProfileFields(h.ctx(), me.id)).iin)
    // Another account holds that IIN: nothing changes, the request stays open.
    await assert.rejects(h.corrections.decide(dpo(), taken, 'approve'), IinTakenError)
    assert.equal((await h.corrections.listOwn(h.ctx(), me.id))[0]?.status, 'open')
    await h.corrections.decide(dpo(), taken, 'reject', 'Бұл ЖСН басқа тіркелгіде')
    await assert.rejects(h.corrections.decide(dpo(), taken, 'approve'), RequestDecidedError)

    const newIin = iinFor(950 + n)
    const good = await file('iin', newIin)
    const surname = await file('surname', 'Жұмабекова')
    assert.deepEqual(await h.corrections.decide(dpo(), good, 'approve'), { status: 'approved' })
    await h.corrections.decide(dpo(), surname, 'approve')
    const fields = await h.accounts.getProfileFields(h.ctx(), me.id)
    assert.equal(fields.iin, newIin)
    assert.equal(fields.surname, 'Жұмабекова')
    const own = await h.corrections.listOwn(h.ctx(), me.id)
    assert.deepEqual(
      own.map((r) => r.status),
      ['approved', 'approved', 'rejected'],
    )
    assert.equal(own[2]?.note, 'Бұл ЖСН басқа тіркелгіде')
    assert.equal(own[0]?.note, null)
    // The new IIN is unique to this account now (blind index).
    await assert.rejects(
      h.registration.register(h.ctx(), {
        asked: h.asked,
        raw: { surname: 'А', givenName: 'Б', phone: '8 708 111 22 33', email: 'dup.iin@mail.kz', iin: newIin },
        password: PASSWORD,
        acceptedPolicy: true,
        policy: await h.shownPolicy('kk'),
      }),
      (err: unknown) => problemsOf(err).iin === 'accounts.iin_taken',
    )
    const audit = await auditOf(db, me.id)
    const decided = audit.filter((a) => a.action === 'account.change_request_decided').map((a) => a.data)
    assert.deepEqual(decided, [
      { field: 'iin', status: 'rejected' },
      { field: 'iin', status: 'approved' },
      { field: 'surname', status: 'approved' },
    ])
    assert.deepEqual(
      audit.filter((a) => a.action === 'account.field_corrected').map((a) => a.data),
      [{ field: 'iin' }, { field: 'surname' }],
    )
    assert.ok(audit.some((a) => a.action === 'account.change_request_viewed'))
    assert.ok(!JSON.stringify(audit).includes(newIin) && !JSON.stringify(audit).includes('Жұмабекова'))
  })

  it('refuses to apply an approved IIN that no longer passes its checksum', async () => {
    // A request stored before a stricter rule, or tampered: decide validates again.
    const { db } = get()
    const me = await register()
    const dpoId = (await register()).id
    const { id } = await h.corrections.fileRequest(as(me.id), me.id, {
      field: 'iin',
      value: iinFor(990),
      reason: '',
      asked: h.asked,
    })
    const bad = await h.crypto.encryptField(db, { subjectId: me.id, field: CHANGE_REQUEST_VALUE_FIELD }, '123456789012')
    await sql`update data_change_requests set value_ciphertext = ${bad} where id = ${id}`.execute(db)
    await assert.rejects(h.corrections.decide(as(dpoId, ['dpo']), id, 'approve'), InvalidIinError)
    assert.equal((await h.corrections.listOwn(h.ctx(), me.id))[0]?.status, 'open')
  })
})

describeEachDatabase('corrections (BTS)', (get) => {
  let h: Harness
  before(async () => {
    h = await accountsHarness(get().db, 'bts-education', '2026-05-04T05:00:00Z')
  })

  it('changes user name, gender and birth date at once, clears an optional one, and never asks for names or an IIN', async () => {
    const { db } = get()
    const done = await h.registration.register(h.ctx(), {
      asked: h.asked,
      raw: {
        phone: '+7 747 123 45 99',
        email: 'dana.edit@bts.kz',
        userName: 'dana',
        gender: 'female',
        birthDate: '2001-02-03',
      },
      password: PASSWORD,
      acceptedPolicy: true,
      policy: await h.shownPolicy('ru'),
    })
    const me = done.userId
    const ctx = h.ctx({ actor: { kind: 'user', id: me, roles: ['learner'] } })
    assert.deepEqual(
      h.corrections.editable(h.asked).byRequest.map((f) => f.name),
      [],
    )
    const bad = await h.corrections
      .updateProfile(ctx, me, { asked: h.asked, values: { userName: 'x', birthDate: '2099-01-01' } })
      .catch(problemsOf)
    assert.deepEqual(bad, { userName: 'accounts.user_name_invalid', birthDate: 'accounts.birth_date_invalid' })
    const result = await h.corrections.updateProfile(ctx, me, {
      asked: h.asked,
      values: { userName: 'dana_k', gender: '', birthDate: '2001-02-04' },
    })
    assert.deepEqual(result.changed.sort(), ['birthDate', 'gender', 'userName'])
    assert.deepEqual(await h.accounts.getProfileFields(h.ctx(), me), { userName: 'dana_k', birthDate: '2001-02-04' })
    const entry = (await auditOf(db, me)).find((a) => a.action === 'account.profile_corrected')
    assert.deepEqual(entry?.data, { fields: 'userName,gender,birthDate' })
    await assert.rejects(
      h.corrections.fileRequest(ctx, me, { field: 'iin', value: '950302300128', reason: '', asked: h.asked }),
      RegistrationInvalidError,
    )
    await assert.rejects(
      h.corrections.updateProfile(ctx, me, { asked: h.asked, values: { email: 'DANA.EDIT@bts.kz' } }),
      (err: unknown) => problemsOf(err).email === 'accounts.change_same',
    )
  })
})

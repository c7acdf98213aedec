// Issue 3 (verification by SMS and e-mail): messages are stored encrypted under the person's key, in the caller's transaction.
import assert from 'node:assert/strict'
import { beforeEach, it } from 'node:test'
import { describeEachDatabase } from '../../../test/database'
import { inTransaction } from '../../platform/context'
import { NotificationsError } from './notifications.errors'
import type { SendInput } from './notifications.service'
import { harness, newSubject, rawRow, reset, storedText } from './test-fixtures'

const LINK = 'https://oqu.example/verify-email?token=Zq8xY2pLk3'

function verifyEmail(subjectId: string, overrides: Partial<SendInput> = {}): SendInput {
  return {
    subjectId,
    channel: 'email',
    to: 'aigerim.s@example.kz',
    template: 'accounts.verify_email',
    locale: 'kk',
    params: { link: LINK },
    ...overrides,
  }
}

describeEachDatabase('notifications service', (get) => {
  beforeEach(() => reset(get().db))

  it('stores the rendered message encrypted and enqueues one delivery job carrying only its id', async () => {
    const h = harness(get().db)
    const subjectId = newSubject()
    const { id } = await h.notifications.send(h.ctx(), verifyEmail(subjectId))
    const row = await rawRow(h.db, id)
    assert.equal(row.subject_id, subjectId)
    assert.equal(row.status, 'queued')
    assert.equal(row.channel, 'email')
    assert.equal(row.template, 'accounts.verify_email')
    assert.equal(row.locale, 'kk')
    assert.equal(row.attempts, 0)
    for (const c of [row.recipient_ciphertext, row.subject_ciphertext, row.body_ciphertext])
      assert.match(c ?? '', /^v1\.1\./)
    const jobs = await h.db.selectFrom('jobs').select(['name', 'payload']).execute()
    assert.deepEqual(jobs, [{ name: 'deliver-notification', payload: { notificationId: id } }])
    // Neither the notifications table nor the job queue holds any of it in clear.
    const stored = await storedText(h.db)
    for (const secret of ['aigerim', 'example.kz', 'Zq8xY2pLk3', 'oqu.example', 'растау', 'Сәлеметсіз']) {
      assert.ok(!stored.includes(secret), `"${secret}" is stored in clear`)
    }
  })

  it('renders in the language asked for, read back decrypted', async () => {
    const h = harness(get().db)
    const subjectId = newSubject()
    await h.notifications.send(h.ctx(), verifyEmail(subjectId, { locale: 'ru' }))
    await h.notifications.send(h.ctx(), verifyEmail(subjectId, { locale: 'kk', to: 'dana@example.kz' }))
    const ru = await h.notifications.latestMessage(h.ctx(), { to: 'aigerim.s@example.kz' })
    assert.equal(ru?.subject, 'Подтвердите адрес электронной почты')
    assert.ok(ru?.text?.includes(`\n\n${LINK}\n\n`))
    const kk = await h.notifications.latestMessage(h.ctx(), {
      to: 'dana@example.kz',
      template: 'accounts.verify_email',
    })
    assert.equal(kk?.subject, 'Электрондық пошта мекенжайыңызды растаңыз')
    assert.equal(kk?.to, 'dana@example.kz')
    assert.equal(await h.notifications.latestMessage(h.ctx(), { to: 'nobody@example.kz' }), undefined)
  })

  it('finds the newest SMS code sent to a number', async () => {
    const h = harness(get().db)
    const subjectId = newSubject()
    const sms = {
      subjectId,
      channel: 'sms',
      to: '+77011234567',
      template: 'accounts.verify_phone',
      locale: 'kk',
    } as const
    await h.notifications.send(h.ctx(), { ...sms, params: { code: '111111' } })
    h.clock.advance(1000)
    await h.notifications.send(h.ctx(), { ...sms, params: { code: '482913' } })
    const latest = await h.notifications.latestMessage(h.ctx(), {
      to: '+77011234567',
      template: 'accounts.verify_phone',
    })
    assert.equal(latest?.text, 'Oqu растау коды: 482913. Оны ешкімге айтпаңыз.')
    assert.equal(latest?.subject, null)
  })

  it('writes nothing when the caller’s transaction rolls back', async () => {
    const h = harness(get().db)
    await assert.rejects(
      inTransaction(h.ctx(), async (tx) => {
        await h.notifications.send(tx, verifyEmail(newSubject()))
        throw new Error('registration failed later')
      }),
      /registration failed later/,
    )
    assert.equal(await storedText(h.db), '')
  })

  it('refuses an unknown template, a wrong channel, a malformed recipient or parameters, storing nothing', async () => {
    const h = harness(get().db)
    const s = newSubject()
    const bad: [Partial<SendInput>, string][] = [
      [{ template: 'accounts.nope' as never }, 'notifications.template_unknown'],
      [{ channel: 'sms', to: '+77011234567' }, 'notifications.channel_unsupported'],
      [{ to: 'not-an-address' }, 'notifications.recipient_invalid'],
      [{ params: {} }, 'notifications.param_invalid'],
      [{ params: { link: LINK, name: 'Aigerim' } }, 'notifications.param_invalid'],
      [{ params: { link: 'javascript:alert(1)' } }, 'notifications.param_invalid'],
      [{ subjectId: 'user-1' }, 'notifications.subject_invalid'],
    ]
    for (const [override, code] of bad) {
      await assert.rejects(h.notifications.send(h.ctx(), verifyEmail(s, override)), (err: unknown) => {
        assert.ok(err instanceof NotificationsError)
        assert.equal(err.code, code)
        assert.ok(!err.message.includes('Aigerim') && !err.message.includes('not-an-address'))
        return true
      })
    }
    const sms = { subjectId: s, channel: 'sms', template: 'accounts.verify_phone', locale: 'kk' } as const
    await assert.rejects(h.notifications.send(h.ctx(), { ...sms, to: '87011234567', params: { code: '123456' } }))
    await assert.rejects(h.notifications.send(h.ctx(), { ...sms, to: '+77011234567', params: { code: '12 34' } }))
    assert.equal(await storedText(h.db), '')
  })

  it('makes a person’s messages unreadable once their data key is destroyed (crypto-shredding)', async () => {
    const h = harness(get().db)
    const erased = newSubject()
    const kept = newSubject()
    const { id } = await h.notifications.send(h.ctx(), verifyEmail(erased))
    await h.notifications.send(h.ctx(), verifyEmail(kept, { to: 'kept@example.kz' }))
    await h.crypto.destroySubjectKey(h.ctx(), erased)
    const message = await h.notifications.outbox.get(h.ctx(), id)
    assert.equal(message?.unreadable, 'erased')
    assert.equal(message?.to, null)
    assert.equal(message?.text, null)
    assert.equal(await h.notifications.latestMessage(h.ctx(), { to: 'aigerim.s@example.kz' }), undefined)
    assert.equal((await h.notifications.latestMessage(h.ctx(), { to: 'kept@example.kz' }))?.unreadable, null)
  })

  it('binds each ciphertext to its own message: one moved to another row does not open', async () => {
    const h = harness(get().db)
    const s = newSubject()
    const a = await h.notifications.send(h.ctx(), verifyEmail(s))
    const b = await h.notifications.send(h.ctx(), verifyEmail(s, { to: 'other@example.kz' }))
    const rowA = await rawRow(h.db, a.id)
    await h.db
      .withTables<{ notifications: { id: string; body_ciphertext: string } }>()
      .updateTable('notifications')
      .set({ body_ciphertext: rowA.body_ciphertext })
      .where('id', '=', b.id)
      .execute()
    assert.equal((await h.notifications.outbox.get(h.ctx(), b.id))?.unreadable, 'damaged')
  })
})

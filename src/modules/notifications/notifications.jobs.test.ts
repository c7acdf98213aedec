// Issue 3: the delivery job sends e-mail to a real SMTP listener and SMS to Mobizon's API, records the outcome, retries, gives up.
import assert from 'node:assert/strict'
import { after, before, beforeEach, it } from 'node:test'
import { describeEachDatabase } from '../../../test/database'
import { startMobizonServer, type MobizonServer } from '../../../test/mobizon-server'
import { startSmtpListener, type SmtpListener } from '../../../test/smtp-listener'
import { createMailTransport, type MailTransport } from '../../platform/mail/index'
import { createMobizonProvider } from '../../platform/sms/index'
import { DELIVER_NOTIFICATION, DELIVERY_ATTEMPTS } from './notifications.jobs'
import { auditOf, harness, newSubject, rawRow, reset, type Harness } from './test-fixtures'

const LINK = 'https://oqu.example/reset?token=r3s3tT0k3n'
const HOUR = 3_600_000

describeEachDatabase('notification delivery', (get) => {
  let smtp: SmtpListener
  let mobizon: MobizonServer
  let mail: MailTransport
  let h: Harness

  before(async () => {
    smtp = await startSmtpListener()
    mobizon = await startMobizonServer()
    mail = createMailTransport({ smtpUrl: smtp.url, mailFrom: 'Oqu <no-reply@oqu.example>' })!
  })
  after(async () => {
    mail.close()
    await Promise.all([smtp.close(), mobizon.close()])
  })
  beforeEach(async () => {
    await reset(get().db)
    smtp.messages.length = 0
    smtp.refuseRecipients(0, 0)
    mobizon.requests.length = 0
    mobizon.script()
    mobizon.always(undefined)
    const sms = createMobizonProvider({ apiUrl: mobizon.url, apiKey: 'kz-key', timeoutMs: 2000 })
    h = harness(get().db, { mail, sms })
  })

  const sendReset = (subjectId = newSubject(), locale: 'kk' | 'ru' | 'en' = 'kk') =>
    h.notifications.send(h.ctx(), {
      subjectId,
      channel: 'email',
      to: 'aigerim@example.kz',
      template: 'accounts.password_reset',
      locale,
      params: { link: LINK },
    })
  const sendCode = (code = '482913') =>
    h.notifications.send(h.ctx(), {
      subjectId: newSubject(),
      channel: 'sms',
      to: '+77011234567',
      template: 'accounts.verify_phone',
      locale: 'kk',
      params: { code },
    })

  it('delivers an e-mail to the SMTP server: Kazakh text and HTML with the link, marked sent, audited by id', async () => {
    const subjectId = newSubject()
    const { id } = await sendReset(subjectId)
    assert.deepEqual(
      (await h.queue.runOnce()).map((r) => r.outcome),
      ['succeeded'],
    )
    const got = await smtp.message(0)
    assert.deepEqual(got.to, ['aigerim@example.kz'])
    assert.equal(got.subject, 'Құпиясөзді қалпына келтіру')
    assert.ok(got.text?.startsWith('Сәлеметсіз бе!\n\n'))
    assert.ok(got.text?.includes(`\n\n${LINK}\n\n`))
    assert.ok(got.html?.includes(`href="${LINK}"`))
    assert.ok(got.html?.includes('<html lang="kk">'))
    assert.equal(got.headers.get('auto-submitted'), 'auto-generated')
    assert.equal(got.headers.get('content-language'), 'kk')
    assert.equal(got.headers.get('x-oqu-notification'), id)
    const row = await rawRow(h.db, id)
    assert.equal(row.status, 'sent')
    assert.equal(row.provider, 'smtp')
    assert.equal(row.provider_message_id, got.headers.get('message-id'))
    assert.equal(row.attempts, 1)
    assert.equal(row.sent_at?.getTime(), h.clock.now().getTime())
    const audit = await auditOf(h.db, id)
    assert.deepEqual(audit, [
      {
        action: 'notification.sent',
        subject_type: 'user',
        subject_id: subjectId,
        target_type: 'notification',
        target_id: id,
        data: { channel: 'email', template: 'accounts.password_reset', provider: 'smtp' },
      },
    ])
  })

  it('sends an SMS through Mobizon with the number as digits and the Kazakh text', async () => {
    const { id } = await sendCode()
    await h.queue.runOnce()
    assert.equal(mobizon.requests.length, 1)
    const form = mobizon.requests[0]!.form
    assert.equal(form.get('recipient'), '77011234567')
    assert.equal(form.get('text'), 'Oqu растау коды: 482913. Оны ешкімге айтпаңыз.')
    const row = await rawRow(h.db, id)
    assert.equal(row.status, 'sent')
    assert.equal(row.provider, 'mobizon')
    assert.equal(row.provider_message_id, '1000')
  })

  it('retries a failing provider with backoff, then gives up: job dead, message failed', async () => {
    mobizon.always({ code: 999, message: 'Internal error' })
    const { id } = await sendCode()
    const outcomes: string[] = []
    for (let i = 0; i < DELIVERY_ATTEMPTS; i++) {
      outcomes.push(...(await h.queue.runOnce()).map((r) => r.outcome))
      const row = await rawRow(h.db, id)
      assert.equal(row.attempts, i + 1)
      h.clock.advance(HOUR)
    }
    assert.deepEqual(outcomes, ['retry', 'retry', 'retry', 'retry', 'dead'])
    assert.equal(mobizon.requests.length, DELIVERY_ATTEMPTS)
    const row = await rawRow(h.db, id)
    assert.equal(row.status, 'failed')
    assert.match(row.last_error ?? '', /SmsDeliveryError: Mobizon refused the message \(code 999\)/)
    assert.deepEqual(
      (await auditOf(h.db, id)).map((a) => [a.action, a.data]),
      [['notification.failed', { channel: 'sms', template: 'accounts.verify_phone', attempts: 5 }]],
    )
  })

  it('gives up at once on a permanent refusal', async () => {
    mobizon.script({ code: 1, message: 'Recipient is not valid' })
    const { id } = await sendCode()
    assert.deepEqual(
      (await h.queue.runOnce()).map((r) => r.outcome),
      ['failed'],
    )
    const row = await rawRow(h.db, id)
    assert.equal(row.status, 'failed')
    assert.equal(row.attempts, 1)
    h.clock.advance(HOUR)
    assert.deepEqual(await h.queue.runOnce(), [])
  })

  it('delivers on a later attempt after a transient SMTP refusal', async () => {
    smtp.refuseRecipients(451, 1)
    const { id } = await sendReset()
    assert.deepEqual(
      (await h.queue.runOnce()).map((r) => r.outcome),
      ['retry'],
    )
    assert.equal((await rawRow(h.db, id)).status, 'queued')
    assert.match((await rawRow(h.db, id)).last_error ?? '', /451/)
    h.clock.advance(HOUR)
    assert.deepEqual(
      (await h.queue.runOnce()).map((r) => r.outcome),
      ['succeeded'],
    )
    const row = await rawRow(h.db, id)
    assert.equal(row.status, 'sent')
    assert.equal(row.attempts, 2)
    assert.equal(row.last_error, null)
    assert.equal(smtp.messages.length, 1)
  })

  it('does not send twice when a delivery job runs again for a message already sent', async () => {
    const { id } = await sendReset()
    await h.queue.runOnce()
    await h.queue.enqueue(h.db, DELIVER_NOTIFICATION, { notificationId: id })
    await h.queue.runOnce()
    assert.equal(smtp.messages.length, 1)
  })

  it('withholds a message whose person was erased before delivery (suppressed, nothing sent)', async () => {
    const subjectId = newSubject()
    const { id } = await sendReset(subjectId)
    await h.crypto.destroySubjectKey(h.ctx(), subjectId)
    assert.deepEqual(
      (await h.queue.runOnce()).map((r) => r.outcome),
      ['succeeded'],
    )
    assert.equal(smtp.messages.length, 0)
    assert.equal((await rawRow(h.db, id)).status, 'suppressed')
    assert.deepEqual(
      (await auditOf(h.db, id)).map((a) => a.action),
      ['notification.suppressed'],
    )
  })

  it('keeps messages only in the developer outbox when no SMTP server or SMS provider is configured', async () => {
    h = harness(get().db)
    const email = await sendReset()
    const sms = await sendCode()
    await h.queue.runOnce()
    for (const { id } of [email, sms]) {
      const row = await rawRow(h.db, id)
      assert.equal(row.status, 'sent')
      assert.equal(row.provider, 'outbox')
      assert.equal(row.provider_message_id, null)
    }
    assert.equal(smtp.messages.length, 0)
    assert.equal(mobizon.requests.length, 0)
  })

  it('deletes messages older than the retention period every night', async () => {
    const old = await sendReset()
    await h.queue.runOnce()
    h.clock.advanceDays(29)
    const recent = await sendReset()
    h.clock.advanceDays(2)
    await h.queue.runOnce()
    await assert.rejects(rawRow(h.db, old.id))
    assert.equal((await rawRow(h.db, recent.id)).status, 'sent')
  })
})

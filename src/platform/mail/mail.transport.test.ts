// E-mail over SMTP (issue 3): messages reach a real SMTP listener with Kazakh text intact; refusals say whether to retry.
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { startSmtpListener, type SmtpListener } from '../../../test/smtp-listener'
import { createMailTransport, MailDeliveryError, toMailDeliveryError, type MailTransport } from './mail.transport'

const KAZAKH = 'Сәлеметсіз бе! Электрондық поштаңызды растаңыз: әіңғүұқөһ ӘІҢҒҮҰҚӨҺ'

describe('mail transport over SMTP', () => {
  let listener: SmtpListener
  let mail: MailTransport

  before(async () => {
    listener = await startSmtpListener()
    mail = createMailTransport({ smtpUrl: listener.url, mailFrom: 'Oqu <no-reply@oqu.example>' })!
  })
  after(async () => {
    mail.close()
    await listener.close()
  })
  beforeEach(() => {
    listener.messages.length = 0
    listener.refuseRecipients(0, 0)
  })

  it('is absent when no SMTP server is configured', () => {
    assert.equal(createMailTransport({ smtpUrl: undefined, mailFrom: 'x@y.kz' }), null)
  })

  it('delivers text and HTML in UTF-8 with the Kazakh letters intact, from the configured sender', async () => {
    const { messageId } = await mail.send({
      to: 'aigerim@мектеп.қаз',
      subject: 'Электрондық поштаны растау — Oqu',
      text: `${KAZAKH}\n\nhttps://oqu.example/verify?t=abc`,
      html: `<p>${KAZAKH}</p>`,
      headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': 'kk' },
    })
    const got = await listener.message(0)
    assert.match(messageId, /^<.+@.+>$/)
    assert.equal(got.headers.get('message-id'), messageId)
    assert.equal(got.from, 'no-reply@oqu.example')
    // An internationalised domain travels as punycode (the listener shows the envelope decoded).
    assert.deepEqual(got.to, ['aigerim@мектеп.қаз'])
    assert.match(got.headers.get('to') ?? '', /^aigerim@xn--[a-z0-9-]+\.xn--80ao21a$/)
    assert.equal(got.subject, 'Электрондық поштаны растау — Oqu')
    assert.equal(got.text, `${KAZAKH}\n\nhttps://oqu.example/verify?t=abc`)
    assert.equal(got.html, `<p>${KAZAKH}</p>`)
    assert.equal(got.headers.get('auto-submitted'), 'auto-generated')
    assert.equal(got.headers.get('content-language'), 'kk')
    assert.match(got.headers.get('from') ?? '', /Oqu <no-reply@oqu\.example>/)
    // Encoded for 7-bit transport: no raw Cyrillic on the wire, every part declared UTF-8.
    assert.ok(
      [...got.raw].every((c) => c.charCodeAt(0) < 128),
      'the message on the wire is 7-bit',
    )
    assert.match(got.raw, /charset=utf-8/i)
    assert.match(got.raw, /^Subject: =\?UTF-8\?[BQ]\?/im)
  })

  it('reports a transient refusal (4xx) as retryable and a permanent one (5xx) as not', async () => {
    listener.refuseRecipients(451, 1)
    const transient = await mail.send({ to: 'a@oqu.example', subject: 's', text: 't' }).catch((e: unknown) => e)
    assert.ok(transient instanceof MailDeliveryError)
    assert.equal(transient.retryable, true)
    assert.equal(transient.responseCode, 451)
    listener.refuseRecipients(550, 1)
    const permanent = await mail.send({ to: 'b@oqu.example', subject: 's', text: 't' }).catch((e: unknown) => e)
    assert.ok(permanent instanceof MailDeliveryError)
    assert.equal(permanent.retryable, false)
    assert.equal(permanent.responseCode, 550)
    assert.doesNotMatch(permanent.message, /oqu\.example/, 'the error does not repeat the address')
  })

  it('reports an unreachable server as retryable', async () => {
    const dead = createMailTransport({ smtpUrl: 'smtp://127.0.0.1:1', mailFrom: 'x@oqu.example' })!
    try {
      const err = await dead.send({ to: 'a@oqu.example', subject: 's', text: 't' }).catch((e: unknown) => e)
      assert.ok(err instanceof MailDeliveryError)
      assert.equal(err.retryable, true)
    } finally {
      dead.close()
    }
  })

  it('maps envelope errors without a server reply to permanent', () => {
    const err = toMailDeliveryError(Object.assign(new Error('No recipients defined'), { code: 'EENVELOPE' }))
    assert.equal(err.retryable, false)
    assert.equal(err.message, 'SMTP delivery failed (EENVELOPE)')
  })
})

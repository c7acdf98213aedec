// SMS through Mobizon's HTTP API (issue 3): the request Mobizon expects, and which refusals are worth retrying.
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { startMobizonServer, type MobizonServer } from '../../../test/mobizon-server'
import { createSmsProvider } from './sms.factory'
import { createMobizonProvider } from './sms.mobizon'
import { SmsDeliveryError, type SmsProvider } from './sms.provider'

const KAZAKH_TEXT = 'Oqu растау коды: 482913. Оны ешкімге айтпаңыз.'

async function failure(provider: SmsProvider, to = '+77011234567'): Promise<SmsDeliveryError> {
  const err = await provider.send({ to, text: 'x' }).catch((e: unknown) => e)
  assert.ok(err instanceof SmsDeliveryError, `expected SmsDeliveryError, got ${String(err)}`)
  return err
}

describe('Mobizon SMS provider', () => {
  let server: MobizonServer
  let sms: SmsProvider

  before(async () => {
    server = await startMobizonServer()
    sms = createMobizonProvider({ apiUrl: server.url, apiKey: 'kz-test-key', timeoutMs: 500 })
  })
  after(() => server.close())
  beforeEach(() => {
    server.requests.length = 0
    server.script()
    server.always(undefined)
  })

  it('posts recipient (digits, no +) and the UTF-8 text as a form, with the key in the query', async () => {
    const { providerMessageId } = await sms.send({ to: '+77011234567', text: KAZAKH_TEXT })
    assert.equal(providerMessageId, '1000')
    const [req] = server.requests
    assert.ok(req)
    assert.equal(req.method, 'POST')
    assert.equal(req.path, '/service/message/sendsmsmessage')
    assert.equal(req.query.get('output'), 'json')
    assert.equal(req.query.get('api'), 'v1')
    assert.equal(req.query.get('apiKey'), 'kz-test-key')
    assert.match(req.contentType, /^application\/x-www-form-urlencoded/)
    assert.equal(req.form.get('recipient'), '77011234567')
    assert.equal(req.form.get('text'), KAZAKH_TEXT)
    assert.equal(req.form.has('from'), false)
  })

  it('sends the alphanumeric sender when configured and accepts an API URL ending in /service', async () => {
    const named = createMobizonProvider({ apiUrl: `${server.url}/service/`, apiKey: 'k', from: 'OQU' })
    await named.send({ to: '+77471234567', text: 'hi' })
    assert.equal(server.requests[0]?.path, '/service/message/sendsmsmessage')
    assert.equal(server.requests[0]?.form.get('from'), 'OQU')
  })

  it('accepts a background task (code 100) with its task id', async () => {
    server.script({ code: 100, data: 5551 })
    assert.deepEqual(await sms.send({ to: '+77011234567', text: 'x' }), { providerMessageId: 'task:5551' })
  })

  it('treats validation, authentication and blocked-account refusals as permanent', async () => {
    for (const code of [1, 8, 12, 14]) {
      server.script({ code, message: 'Recipient 77011234567 is not valid' })
      const err = await failure(sms)
      assert.equal(err.retryable, false, `code ${code}`)
      assert.equal(err.providerCode, code)
      assert.doesNotMatch(err.message, /7701/, 'the error does not repeat the number')
    }
  })

  it('treats rate limits, general errors, HTTP 5xx/429, non-JSON answers and timeouts as retryable', async () => {
    const replies = [
      { code: 30 },
      { code: 999 },
      { httpStatus: 503 },
      { httpStatus: 429 },
      { html: '<h1>Bad gateway</h1>' },
    ]
    for (const reply of replies) {
      server.script(reply)
      assert.equal((await failure(sms)).retryable, true, JSON.stringify(reply))
    }
    server.script({ hang: true })
    const timedOut = await failure(sms)
    assert.equal(timedOut.retryable, true)
    assert.match(timedOut.message, /timed out/)
  })

  it('treats an unreachable server as retryable and a wrong URL (HTTP 404) as permanent', async () => {
    const dead = createMobizonProvider({ apiUrl: 'http://127.0.0.1:1', apiKey: 'k' })
    assert.equal((await failure(dead)).retryable, true)
    server.script({ httpStatus: 404 })
    assert.equal((await failure(sms)).retryable, false)
  })

  it('refuses a number that is not E.164 without calling Mobizon', async () => {
    const err = await failure(sms, '87011234567')
    assert.equal(err.retryable, false)
    assert.equal(server.requests.length, 0)
  })

  it('is chosen by the configuration: none for the outbox, Mobizon otherwise', () => {
    assert.equal(createSmsProvider({ smsProvider: 'outbox', smsApiUrl: undefined, smsApiKey: undefined }), null)
    const provider = createSmsProvider({ smsProvider: 'mobizon', smsApiUrl: server.url, smsApiKey: 'k' })
    assert.equal(provider?.id, 'mobizon')
    assert.throws(() => createSmsProvider({ smsProvider: 'mobizon', smsApiUrl: undefined, smsApiKey: 'k' }))
  })
})

/**
 * Mobizon (mobizon.kz) SMS adapter. Its HTTP API: POST
 * `{apiUrl}/service/message/sendsmsmessage?output=json&api=v1&apiKey=KEY`
 * with form fields `recipient` (international digits, no `+`), `text` and
 * optionally `from` (a registered alphanumeric sender). The JSON answer is
 * `{ code, data: { messageId, campaignId }, message }`: code 0 is accepted,
 * 100 is accepted as a background task, anything else is an error.
 */
import { checkE164, SmsDeliveryError, type SmsProvider } from './sms.provider'

export interface MobizonOptions {
  /** API base, e.g. `https://api.mobizon.kz` (a trailing `/service` is accepted too). */
  apiUrl: string
  apiKey: string
  /** Registered alphanumeric sender name; omitted: the account's default. */
  from?: string
  /** Per-request timeout, default 15 s. */
  timeoutMs?: number
}

// Mobizon result codes worth another try: unidentified application error (3), a save
// conflict (10), a failed operation (15), too many requests (30), general error (999).
// The others (validation 1, not found 2, bad module/method/format 4–6, authentication 8,
// access 9, missing or bad parameters 11–12, wrong API server 13, blocked account 14)
// fail again the same way.
const RETRYABLE_CODES = new Set([3, 10, 15, 30, 999])

interface MobizonAnswer {
  code?: unknown
  data?: unknown
}

function endpoint(apiUrl: string, apiKey: string): string {
  const base = apiUrl.replace(/\/+$/, '').replace(/\/service$/, '')
  const query = new URLSearchParams({ output: 'json', api: 'v1', apiKey })
  return `${base}/service/message/sendsmsmessage?${query.toString()}`
}

/** The provider's id of an accepted message: `data.messageId` (code 0) or the background task id (code 100). */
function acceptedId(answer: MobizonAnswer): string {
  const data = answer.data
  if (data !== null && typeof data === 'object') {
    const { messageId, campaignId } = data as { messageId?: unknown; campaignId?: unknown }
    if (messageId != null && messageId !== '') return String(messageId)
    if (campaignId != null && campaignId !== '') return `campaign:${String(campaignId)}`
  }
  if (typeof data === 'string' || typeof data === 'number') return `task:${String(data)}`
  throw new SmsDeliveryError('Mobizon accepted the message without an id', false, Number(answer.code))
}

async function post(url: string, body: URLSearchParams, signal: AbortSignal): Promise<Response> {
  try {
    return await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', accept: 'application/json' },
      body,
      signal,
    })
  } catch (err) {
    const reason = (err as Error).name === 'TimeoutError' ? 'timed out' : 'could not connect'
    throw new SmsDeliveryError(`Mobizon request failed: ${reason}`, true)
  }
}

async function readAnswer(response: Response): Promise<MobizonAnswer> {
  const status = response.status
  if (status === 429 || status >= 500) {
    throw new SmsDeliveryError(`Mobizon answered HTTP ${status}`, true, undefined, status)
  }
  if (status >= 300) throw new SmsDeliveryError(`Mobizon answered HTTP ${status}`, false, undefined, status)
  try {
    return (await response.json()) as MobizonAnswer
  } catch {
    throw new SmsDeliveryError('Mobizon answered with something other than JSON', true, undefined, status)
  }
}

/** A Mobizon provider for `options.apiUrl` and `options.apiKey`. */
export function createMobizonProvider(options: MobizonOptions): SmsProvider {
  const url = endpoint(options.apiUrl, options.apiKey)
  const timeoutMs = options.timeoutMs ?? 15_000
  return {
    id: 'mobizon',
    async send(message, sendOptions = {}) {
      checkE164(message.to)
      const body = new URLSearchParams({ recipient: message.to.slice(1), text: message.text })
      if (options.from) body.set('from', options.from)
      const timeout = AbortSignal.timeout(timeoutMs)
      const signal = sendOptions.signal ? AbortSignal.any([sendOptions.signal, timeout]) : timeout
      const answer = await readAnswer(await post(url, body, signal))
      const code = Number(answer.code)
      if (code === 0 || code === 100) return { providerMessageId: acceptedId(answer) }
      // Mobizon's own message text is left out: it can repeat the number.
      const retryable = !Number.isInteger(code) || RETRYABLE_CODES.has(code)
      throw new SmsDeliveryError(`Mobizon refused the message (code ${answer.code as string})`, retryable, code)
    },
  }
}

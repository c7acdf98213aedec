/**
 * A real SMTP server for tests (smtp-server on 127.0.0.1, a random port):
 * collects every message delivered to it and decodes it (headers with
 * RFC 2047 words, multipart bodies, base64 and quoted-printable, charsets),
 * so tests assert what a mail client would show. It can also refuse
 * recipients with a chosen SMTP reply code, to test retries.
 */
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

export interface ReceivedMail {
  /** Envelope sender and recipients. */
  from: string
  to: string[]
  /** The message as received. */
  raw: string
  /** Header fields, lower-case names, unfolded and decoded (first occurrence). */
  headers: Map<string, string>
  subject: string
  text: string | undefined
  html: string | undefined
}

export interface SmtpListener {
  /** `smtp://127.0.0.1:<port>` for OQU_SMTP_URL. */
  url: string
  messages: ReceivedMail[]
  /** Resolves with message number `index` (0-based) once it has arrived. */
  message(index: number, timeoutMs?: number): Promise<ReceivedMail>
  /** Refuses the next `times` recipients with this SMTP reply code (e.g. 451 transient, 550 permanent). */
  refuseRecipients(responseCode: number, times?: number): void
  close(): Promise<void>
}

/** Starts a listener; plain SMTP without STARTTLS or authentication. */
export async function startSmtpListener(): Promise<SmtpListener> {
  const messages: ReceivedMail[] = []
  let refusal: { code: number; left: number } | undefined
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (!refusal || refusal.left <= 0) return callback()
      refusal.left--
      const err = Object.assign(new Error('Refused by the test listener'), { responseCode: refusal.code })
      callback(err)
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : ''
        const to = session.envelope.rcptTo.map((r) => r.address)
        messages.push(parseMail(Buffer.concat(chunks).toString('utf8'), from, to))
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async message(index, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs
      while (messages.length <= index) {
        if (Date.now() > deadline) throw new Error(`no message number ${index} within ${timeoutMs} ms`)
        await new Promise((r) => setTimeout(r, 10))
      }
      return messages[index]!
    },
    refuseRecipients(code, times = Number.POSITIVE_INFINITY) {
      refusal = { code, left: times }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** Splits a MIME entity into unfolded header fields and its body. */
function splitEntity(entity: string): { headers: Map<string, string>; body: string } {
  const end = entity.indexOf('\r\n\r\n')
  const head = end < 0 ? entity : entity.slice(0, end)
  const body = end < 0 ? '' : entity.slice(end + 4)
  const headers = new Map<string, string>()
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    if (!headers.has(name)) headers.set(name, decodeWords(line.slice(colon + 1).trim()))
  }
  return { headers, body }
}

function bytesOfQuotedPrintable(text: string): Buffer {
  const bytes: number[] = []
  const s = text.replace(/=\r?\n/g, '')
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16))
      i += 2
    } else bytes.push(...Buffer.from(s[i]!, 'utf8'))
  }
  return Buffer.from(bytes)
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`). */
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, charset: string, kind: string, text: string) => {
      const bytes =
        kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : bytesOfQuotedPrintable(text.replace(/_/g, ' '))
      return new TextDecoder(charset).decode(bytes)
    })
}

function param(header: string | undefined, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}="?([^";]+)"?`, 'i').exec(header ?? '')
  return match?.[1]
}

/** The decoded text of a leaf part. */
function decodeBody(headers: Map<string, string>, body: string): string {
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase()
  const charset = param(headers.get('content-type'), 'charset') ?? 'utf-8'
  const bytes =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? bytesOfQuotedPrintable(body)
        : Buffer.from(body, 'utf8')
  return new TextDecoder(charset).decode(bytes).replace(/\r\n/g, '\n')
}

/** Collects the text/plain and text/html parts of an entity. */
function collectParts(entity: string, into: { text?: string; html?: string }): void {
  const { headers, body } = splitEntity(entity)
  const type = (headers.get('content-type') ?? 'text/plain').toLowerCase()
  if (type.startsWith('multipart/')) {
    const boundary = param(headers.get('content-type'), 'boundary')
    if (!boundary) return
    const parts = body.split(`--${boundary}`).slice(1)
    for (const part of parts) {
      if (part.startsWith('--')) break
      collectParts(part.replace(/^\r\n/, ''), into)
    }
  } else if (type.startsWith('text/plain')) into.text ??= decodeBody(headers, body)
  else if (type.startsWith('text/html')) into.html ??= decodeBody(headers, body)
}

/** Parses a received message. */
export function parseMail(raw: string, from: string, to: string[]): ReceivedMail {
  const { headers } = splitEntity(raw)
  const parts: { text?: string; html?: string } = {}
  collectParts(raw, parts)
  return { from, to, raw, headers, subject: headers.get('subject') ?? '', text: parts.text, html: parts.html }
}

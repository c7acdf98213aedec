/**
 * E-mail over SMTP with nodemailer. One pooled transport per process; the
 * caller gives the finished message (text, HTML, headers) and learns the
 * Message-ID, or gets a MailDeliveryError that says whether retrying can help.
 * Errors never carry the server's reply text: it often repeats the address.
 */
import nodemailer, { type NodemailerError, type Transporter } from 'nodemailer'
import type { Config } from '../../config'

/** A finished e-mail. `to` is one address; `headers` are extra header fields (no From/To/Subject). */
export interface MailMessage {
  to: string
  subject: string
  text: string
  html?: string
  headers?: Record<string, string>
}

export interface MailTransport {
  /** Sends one message; throws MailDeliveryError. `signal` abandons the attempt (job timeout, shutdown). */
  send(message: MailMessage, options?: { signal?: AbortSignal }): Promise<{ messageId: string }>
  /** Checks that the server answers and accepts the credentials. */
  verify(): Promise<void>
  /** Closes pooled connections (on shutdown). */
  close(): void
}

export type MailConfig = Pick<Config, 'smtpUrl' | 'mailFrom'>

/** A failed delivery: `retryable` is false when the server refused the message for good (5xx). */
export class MailDeliveryError extends Error {
  override name = 'MailDeliveryError'
  constructor(
    message: string,
    readonly retryable: boolean,
    /** Nodemailer's error code (ECONNECTION, EENVELOPE, …) and the SMTP reply code, when there was one. */
    readonly code?: string,
    readonly responseCode?: number,
  ) {
    super(message)
  }
}

// Refused before or without a server reply: retrying the same message cannot help.
const PERMANENT_CODES = new Set(['EENVELOPE', 'ECONFIG', 'EMAXRECIPIENTS', 'EOTP'])

/** Maps a nodemailer error to a MailDeliveryError without the server's reply text. */
export function toMailDeliveryError(err: unknown): MailDeliveryError {
  if (err instanceof MailDeliveryError) return err
  const e = (err ?? {}) as NodemailerError
  const code = typeof e.code === 'string' ? e.code : undefined
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined
  const permanent =
    e.permanent === true || (responseCode === undefined && code !== undefined && PERMANENT_CODES.has(code))
  const detail = [code, responseCode].filter((x) => x !== undefined).join(' ') || 'unknown error'
  return new MailDeliveryError(`SMTP delivery failed (${detail})`, !permanent, code, responseCode)
}

const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }

/**
 * The SMTP transport of `config.smtpUrl` (smtp:// uses STARTTLS when offered,
 * smtps:// is TLS from the start), sending from `config.mailFrom`; null when
 * no SMTP server is configured (messages then stay in the developer outbox).
 */
export function createMailTransport(config: MailConfig): MailTransport | null {
  if (config.smtpUrl === undefined) return null
  const transporter: Transporter = nodemailer.createTransport({
    url: config.smtpUrl,
    pool: true,
    maxConnections: 2,
    ...TIMEOUTS,
  })
  return {
    async send(message, options = {}) {
      try {
        const info = await transporter.sendMail({
          from: config.mailFrom,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html !== undefined ? { html: message.html } : {}),
          headers: message.headers ?? {},
          ...(options.signal ? { signal: options.signal } : {}),
        })
        return { messageId: String(info.messageId) }
      } catch (err) {
        throw toMailDeliveryError(err)
      }
    },
    async verify() {
      try {
        await transporter.verify()
      } catch (err) {
        throw toMailDeliveryError(err)
      }
    },
    close: () => transporter.close(),
  }
}

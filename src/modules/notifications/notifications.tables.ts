/** The notifications table as Kysely sees it (migration 0006-notifications); use `db.withTables<NotificationTables>()`. */
import type { Locale } from '../../platform/context'

export const CHANNELS = ['email', 'sms'] as const
export type Channel = (typeof CHANNELS)[number]

export const NOTIFICATION_STATUSES = ['queued', 'sent', 'failed', 'suppressed'] as const
/**
 * `queued` waits for (another) delivery attempt; `sent` was handed to the SMTP server or SMS
 * provider, or kept in the developer outbox; `failed` was refused for good or ran out of
 * attempts; `suppressed` was not sent because the person's data were erased first.
 */
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number]

/** Where a sent message went: the SMTP server, an SMS provider's id, or only the developer outbox. */
export type Provider = 'smtp' | 'outbox' | (string & {})

export interface NotificationsTable {
  /** Random UUID made by the application. */
  id: string
  /** The person the message is for; their data key encrypts the three ciphertext columns. */
  subject_id: string
  channel: Channel
  /** Template id, e.g. `accounts.verify_email`. */
  template: string
  locale: Locale
  /** E-mail address or E.164 number, encrypted (field `notifications.<id>.recipient`). */
  recipient_ciphertext: string
  /** E-mail subject line, encrypted (field `notifications.<id>.subject`); null for SMS. */
  subject_ciphertext: string | null
  /** Plain-text body, encrypted (field `notifications.<id>.body`); the HTML part is derived from it. */
  body_ciphertext: string
  status: NotificationStatus
  provider: Provider | null
  /** The SMTP Message-ID or the SMS provider's message id. */
  provider_message_id: string | null
  /** Delivery attempts made so far. */
  attempts: number
  created_at: Date
  sent_at: Date | null
  /** Error name and code of the last failed attempt, never the server's reply text. */
  last_error: string | null
}

// A type alias, not an interface: withTables<T>() needs T to have an implicit index signature.
export type NotificationTables = {
  notifications: NotificationsTable
}

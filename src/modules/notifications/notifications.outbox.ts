/**
 * Reading messages back, decrypted: for the developer outbox page and for
 * tests that need the link or code a person was sent. A message whose
 * subject's data key was destroyed reads as `erased`, never as an error.
 */
import type { Ctx, Locale } from '../../platform/context'
import { DecryptionError, SubjectKeyDestroyedError, type FieldCrypto } from '../../platform/crypto/index'
import type { Db } from '../../platform/db/database'
import {
  findNotification,
  listNotifications,
  recentNotifications,
  type NotificationRow,
} from './notifications.repository'
import type { Channel, NotificationStatus } from './notifications.tables'

/** A message as the developer outbox shows it. `to`, `subject` and `text` are null when unreadable. */
export interface OutboxMessage {
  id: string
  subjectId: string
  channel: Channel
  template: string
  locale: Locale
  to: string | null
  subject: string | null
  text: string | null
  /** Why the texts are missing: the person's data key was destroyed, or a ciphertext does not open. */
  unreadable: 'erased' | 'damaged' | null
  status: NotificationStatus
  provider: string | null
  providerMessageId: string | null
  attempts: number
  createdAt: Date
  sentAt: Date | null
  lastError: string | null
}

/** The encryption field of one column of one message (binds each ciphertext to its row). */
export const messageField = (id: string, column: 'recipient' | 'subject' | 'body') => `notifications.${id}.${column}`

type Decrypt = Pick<FieldCrypto, 'decryptField'>

/** The decrypted recipient, subject and text of a row; throws SubjectKeyDestroyedError after erasure. */
export async function openMessage(
  crypto: Decrypt,
  db: Db,
  row: NotificationRow,
): Promise<{ to: string; subject: string | null; text: string }> {
  const open = (column: 'recipient' | 'subject' | 'body', ciphertext: string) =>
    crypto.decryptField(db, { subjectId: row.subject_id, field: messageField(row.id, column) }, ciphertext)
  return {
    to: await open('recipient', row.recipient_ciphertext),
    subject: row.subject_ciphertext === null ? null : await open('subject', row.subject_ciphertext),
    text: await open('body', row.body_ciphertext),
  }
}

async function present(crypto: Decrypt, db: Db, row: NotificationRow): Promise<OutboxMessage> {
  let texts: { to: string | null; subject: string | null; text: string | null } = {
    to: null,
    subject: null,
    text: null,
  }
  let unreadable: OutboxMessage['unreadable'] = null
  try {
    texts = await openMessage(crypto, db, row)
  } catch (err) {
    if (err instanceof SubjectKeyDestroyedError) unreadable = 'erased'
    else if (err instanceof DecryptionError) unreadable = 'damaged'
    else throw err
  }
  return {
    id: row.id,
    subjectId: row.subject_id,
    channel: row.channel,
    template: row.template,
    locale: row.locale,
    ...texts,
    unreadable,
    status: row.status,
    provider: row.provider,
    providerMessageId: row.provider_message_id,
    attempts: row.attempts,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    lastError: row.last_error,
  }
}

/** How many recent messages `latestMessage` looks through. */
export const LATEST_SCAN_LIMIT = 200

export interface OutboxReader {
  /** A page of messages, newest first (`page` from 1), and the total count. */
  list(ctx: Ctx, page: { page: number; pageSize: number }): Promise<{ items: OutboxMessage[]; total: number }>
  /** One message, or undefined. */
  get(ctx: Ctx, id: string): Promise<OutboxMessage | undefined>
  /** The newest readable message to `to` (of `template` when given) among the last 200 sent. */
  latest(ctx: Ctx, query: { to: string; template?: string }): Promise<OutboxMessage | undefined>
}

/** Builds the outbox reader. */
export function createOutboxReader(crypto: Decrypt): OutboxReader {
  return {
    async list(ctx, { page, pageSize }) {
      const { rows, total } = await listNotifications(ctx.db, { limit: pageSize, offset: (page - 1) * pageSize })
      const items: OutboxMessage[] = []
      for (const row of rows) items.push(await present(crypto, ctx.db, row))
      return { items, total }
    },
    async get(ctx, id) {
      const row = await findNotification(ctx.db, id)
      return row ? present(crypto, ctx.db, row) : undefined
    },
    async latest(ctx, query) {
      const rows = await recentNotifications(ctx.db, { template: query.template, limit: LATEST_SCAN_LIMIT })
      for (const row of rows) {
        const message = await present(crypto, ctx.db, row)
        if (message.to === query.to) return message
      }
      return undefined
    },
  }
}

/** SQL of the notifications table, with explicit column lists. Every function takes the Db (or open transaction) to use. */
import type { Db } from '../../platform/db/database'
import type { NotificationStatus, NotificationTables, NotificationsTable, Provider } from './notifications.tables'

const tables = (db: Db) => db.withTables<NotificationTables>()

const COLUMNS = [
  'id',
  'subject_id',
  'channel',
  'template',
  'locale',
  'recipient_ciphertext',
  'subject_ciphertext',
  'body_ciphertext',
  'status',
  'provider',
  'provider_message_id',
  'attempts',
  'created_at',
  'sent_at',
  'last_error',
] as const

export type NotificationRow = NotificationsTable

export type NewNotificationRow = Pick<
  NotificationsTable,
  | 'id'
  | 'subject_id'
  | 'channel'
  | 'template'
  | 'locale'
  | 'recipient_ciphertext'
  | 'subject_ciphertext'
  | 'body_ciphertext'
  | 'created_at'
>

/** Inserts a queued message. */
export async function insertNotification(db: Db, row: NewNotificationRow): Promise<void> {
  await tables(db)
    .insertInto('notifications')
    .values({ ...row, status: 'queued', provider: null, provider_message_id: null, attempts: 0, sent_at: null })
    .execute()
}

/** One message, or undefined. */
export function findNotification(db: Db, id: string): Promise<NotificationRow | undefined> {
  return tables(db).selectFrom('notifications').select(COLUMNS).where('id', '=', id).executeTakeFirst()
}

/** A page of messages, newest first, and how many there are in all. */
export async function listNotifications(
  db: Db,
  page: { limit: number; offset: number },
): Promise<{ rows: NotificationRow[]; total: number }> {
  const rows = await tables(db)
    .selectFrom('notifications')
    .select(COLUMNS)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
  const count = await tables(db)
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return { rows, total: Number(count.n) }
}

/** The newest `limit` messages, of one template when given. */
export function recentNotifications(db: Db, filter: { template?: string; limit: number }): Promise<NotificationRow[]> {
  let query = tables(db).selectFrom('notifications').select(COLUMNS)
  if (filter.template !== undefined) query = query.where('template', '=', filter.template)
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute()
}

/** Records a delivered (or outbox-only) message. */
export async function markSent(
  db: Db,
  id: string,
  sent: { provider: Provider; providerMessageId: string | null; attempts: number; sentAt: Date },
): Promise<void> {
  await tables(db)
    .updateTable('notifications')
    .set({
      status: 'sent',
      provider: sent.provider,
      provider_message_id: sent.providerMessageId,
      attempts: sent.attempts,
      sent_at: sent.sentAt,
      last_error: null,
    })
    .where('id', '=', id)
    .execute()
}

/** Records a failed attempt: still `queued` while retries remain, else `failed` (or `suppressed`). */
export async function recordFailure(
  db: Db,
  id: string,
  failure: { status: Exclude<NotificationStatus, 'sent'>; attempts: number; error: string; provider?: Provider },
): Promise<void> {
  await tables(db)
    .updateTable('notifications')
    .set({
      status: failure.status,
      attempts: failure.attempts,
      last_error: failure.error,
      ...(failure.provider !== undefined ? { provider: failure.provider } : {}),
    })
    .where('id', '=', id)
    .execute()
}

/** Deletes messages created before `before` (retention); returns how many. */
export async function deleteNotificationsBefore(db: Db, before: Date): Promise<number> {
  const result = await tables(db).deleteFrom('notifications').where('created_at', '<', before).executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** Shared fixtures for the notifications tests: real crypto, audit and job queue on the suite's database. */
import { randomBytes, randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { createAuditLog } from '../../platform/audit/index'
import type { TestClock } from '../../platform/clock'
import { systemCtx, type Ctx } from '../../platform/context'
import { createFieldCrypto, createKeyring } from '../../platform/crypto/index'
import type { Db } from '../../platform/db/database'
import { createI18n, loadLocaleFiles } from '../../platform/i18n/i18n'
import { buildJobRegistry, type JobQueue } from '../../platform/jobs/index'
import { testQueue } from '../../platform/jobs/test-fixtures'
import type { MailTransport } from '../../platform/mail/index'
import type { SmsProvider } from '../../platform/sms/index'
import { notificationJobs } from './notifications.jobs'
import { createNotifications, type Notifications } from './notifications.service'
import type { NotificationRow } from './notifications.repository'
import type { NotificationTables } from './notifications.tables'

export const i18n = createI18n(loadLocaleFiles(fileURLToPath(new URL('../../../locales', import.meta.url))))

export interface Harness {
  db: Db
  clock: TestClock
  queue: JobQueue
  notifications: Notifications
  crypto: ReturnType<typeof createFieldCrypto>
  ctx(): Ctx
}

/** Notifications with their jobs registered on a test queue; `mail`/`sms` null means outbox only. */
export function harness(db: Db, deps: { mail?: MailTransport | null; sms?: SmsProvider | null } = {}): Harness {
  const { queue, clock } = testQueue(db)
  const audit = createAuditLog({ clock })
  const keyring = createKeyring(new Map([['k1', randomBytes(32)]]), 'k1', randomBytes(32))
  const crypto = createFieldCrypto({ keyring, audit, clock })
  buildJobRegistry(queue, notificationJobs({ crypto, audit, mail: deps.mail ?? null, sms: deps.sms ?? null }))
  const notifications = createNotifications({ crypto, queue, i18n })
  return { db, clock, queue, notifications, crypto, ctx: () => systemCtx(db, clock) }
}

/** A fresh subject id (a person). */
export const newSubject = () => randomUUID()

/** The raw stored row. */
export function rawRow(db: Db, id: string): Promise<NotificationRow> {
  return db
    .withTables<NotificationTables>()
    .selectFrom('notifications')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
}

/** Every notification row and queued job, as text, to search for plaintext. */
export async function storedText(db: Db): Promise<string> {
  const r = await sql<{ t: string }>`
    select t::text as t from notifications t union all select t::text from jobs t`.execute(db)
  return r.rows.map((row) => row.t).join('\n')
}

/** Audit entries about one message. */
export function auditOf(db: Db, notificationId: string) {
  return db
    .selectFrom('audit_log')
    .select(['action', 'subject_type', 'subject_id', 'target_type', 'target_id', 'data'])
    .where('target_id', '=', notificationId)
    .orderBy('id')
    .execute()
}

/** Clears the tables the tests write. */
export async function reset(db: Db): Promise<void> {
  await sql`delete from notifications`.execute(db)
  await db.deleteFrom('jobs').execute()
}

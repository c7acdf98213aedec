/** SQL of policy-change notices: one row per (version, person), and the progress of each version's run. */
import { sql } from 'kysely'
import type { Locale } from '../../platform/context'
import type { Db } from '../../platform/db/database'
import type { PrivacyTables } from './privacy.tables'

const tables = (db: Db) => db.withTables<PrivacyTables>()

export interface NoticeRow {
  version_id: string
  user_id: string
  locale: Locale
  notification_id: string | null
  notified_at: Date | null
  banner_shown_at: Date | null
}

export interface NoticeRunRow {
  version_id: string
  started_at: Date
  last_user_id: string | null
  queued: number
  finished_at: Date | null
}

/** Starts the notice run of a just-published version. */
export async function startNoticeRun(db: Db, versionId: string, now: Date): Promise<void> {
  await tables(db)
    .insertInto('policy_notice_runs')
    .values({ version_id: versionId, started_at: now, last_user_id: null, queued: 0, finished_at: null })
    .execute()
}

/** The run of a version, locked for this transaction (one batch at a time). */
export async function lockNoticeRun(db: Db, versionId: string): Promise<NoticeRunRow | undefined> {
  return tables(db)
    .selectFrom('policy_notice_runs')
    .select(['version_id', 'started_at', 'last_user_id', 'queued', 'finished_at'])
    .where('version_id', '=', versionId)
    .forUpdate()
    .executeTakeFirst()
}

export async function findNoticeRun(db: Db, versionId: string): Promise<NoticeRunRow | undefined> {
  return tables(db)
    .selectFrom('policy_notice_runs')
    .select(['version_id', 'started_at', 'last_user_id', 'queued', 'finished_at'])
    .where('version_id', '=', versionId)
    .executeTakeFirst()
}

/** Moves a run's cursor after a batch; `finishedAt` when it was the last. */
export async function advanceNoticeRun(
  db: Db,
  versionId: string,
  change: { lastUserId: string | null; added: number; finishedAt: Date | null },
): Promise<void> {
  await tables(db)
    .updateTable('policy_notice_runs')
    .set((eb) => ({
      last_user_id: change.lastUserId,
      queued: eb('queued', '+', change.added),
      finished_at: change.finishedAt,
    }))
    .where('version_id', '=', versionId)
    .execute()
}

/** Records the e-mail notice of a version to a person (keeps a banner time already there). */
export async function upsertEmailNotice(
  db: Db,
  row: { versionId: string; userId: string; locale: Locale; notificationId: string | null; notifiedAt: Date },
): Promise<void> {
  await tables(db)
    .insertInto('policy_notices')
    .values({
      version_id: row.versionId,
      user_id: row.userId,
      locale: row.locale,
      notification_id: row.notificationId,
      notified_at: row.notifiedAt,
      banner_shown_at: null,
    })
    .onConflict((oc) =>
      oc.columns(['version_id', 'user_id']).doUpdateSet({
        notification_id: row.notificationId,
        notified_at: row.notifiedAt,
      }),
    )
    .execute()
}

/** Records when the banner about a version was first shown to a person (later showings change nothing). */
export async function markBannerShown(
  db: Db,
  row: { versionId: string; userId: string; locale: Locale; at: Date },
): Promise<void> {
  await sql`insert into policy_notices (version_id, user_id, locale, notification_id, notified_at, banner_shown_at)
    values (${row.versionId}, ${row.userId}, ${row.locale}, null, null, ${row.at})
    on conflict (version_id, user_id) do update set banner_shown_at = coalesce(policy_notices.banner_shown_at, excluded.banner_shown_at)`.execute(
    db,
  )
}

export async function findNotice(db: Db, versionId: string, userId: string): Promise<NoticeRow | undefined> {
  return tables(db)
    .selectFrom('policy_notices')
    .select(['version_id', 'user_id', 'locale', 'notification_id', 'notified_at', 'banner_shown_at'])
    .where('version_id', '=', versionId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
}

/**
 * Delivery of a version's e-mail notices by the outbox's status (reads the notifications module's
 * `notifications.status`, the one record of delivery; see notifications/CONTEXT.md).
 */
export async function noticeDelivery(
  db: Db,
  versionId: string,
): Promise<{ notices: number; noEmail: number; queued: number; sent: number; failed: number; bannerShown: number }> {
  const r = await sql<{
    notices: string
    no_email: string
    queued: string
    sent: string
    failed: string
    banner: string
  }>`select count(*) as notices,
       count(*) filter (where p.notification_id is null and p.notified_at is not null) as no_email,
       count(*) filter (where n.status = 'queued') as queued,
       count(*) filter (where n.status = 'sent') as sent,
       count(*) filter (where n.status in ('failed', 'suppressed')) as failed,
       count(*) filter (where p.banner_shown_at is not null) as banner
     from policy_notices p left join notifications n on n.id = p.notification_id
     where p.version_id = ${versionId}`.execute(db)
  const row = r.rows[0]
  return {
    notices: Number(row?.notices ?? 0),
    noEmail: Number(row?.no_email ?? 0),
    queued: Number(row?.queued ?? 0),
    sent: Number(row?.sent ?? 0),
    failed: Number(row?.failed ?? 0),
    bannerShown: Number(row?.banner ?? 0),
  }
}

/**
 * Notices of a new policy version (T-6.4, B-1.2): after publication the
 * `send-policy-notices` job walks every active account in batches of
 * `batchSize`, queues an e-mail in the person's language through the
 * notifications module (its outbox records delivery per message) and a
 * `policy_notices` row per person, then enqueues itself for the next batch.
 * The DPO's desk reads the progress. The language is the one the person last
 * read the policy in (their newest consent record), else Kazakh.
 */
import type { AuditLog } from '../../platform/audit/index'
import { inTransaction, type Ctx, type Locale } from '../../platform/context'
import type { Db } from '../../platform/db/database'
import { defineJob, type JobDefinitions, type JobQueue } from '../../platform/jobs/index'
import { latestLocaleOf } from './consents.repository'
import { advanceNoticeRun, findNoticeRun, lockNoticeRun, noticeDelivery, upsertEmailNotice } from './notices.repository'
import type { PeopleDirectory } from './people.repository'
import { findVersion } from './policies.repository'
import { SEND_POLICY_NOTICES } from './policy-versions.service'

/** What the notice e-mail needs from the notifications module (`send` of its public surface). */
export type SendNotice = (
  ctx: Ctx,
  input: {
    subjectId: string
    channel: 'email'
    to: string
    template: 'privacy.policy_changed'
    locale: Locale
    params: { link: string }
  },
) => Promise<{ id: string }>

export interface NoticesDeps {
  audit: Pick<AuditLog, 'record'>
  queue: Pick<JobQueue, 'enqueue'>
  people: PeopleDirectory
  /** The person's e-mail address (accounts' `getEmail`), or undefined when they have none. */
  emailOf(ctx: Ctx, userId: string): Promise<string | undefined>
  send: SendNotice
  publicUrl: string
  /** People per batch (default 200). */
  batchSize?: number
}

export interface NoticeProgress {
  startedAt: Date
  finishedAt: Date | null
  /** Notices queued so far (one per person). */
  queued: number
  delivery: Awaited<ReturnType<typeof noticeDelivery>>
}

export interface NoticesService {
  /** Sends the next batch of a version's notices; returns how many were queued and whether the run is done. */
  sendBatch(ctx: Ctx, versionId: string): Promise<{ queued: number; done: boolean }>
  /** A version's notice run and delivery counts, for the DPO; undefined when none was started. */
  progress(db: Db, versionId: string): Promise<NoticeProgress | undefined>
  jobs(): JobDefinitions
}

export function createNoticesService(deps: NoticesDeps): NoticesService {
  const batchSize = deps.batchSize ?? 200
  const base = deps.publicUrl.replace(/\/+$/, '')

  async function sendBatch(ctx: Ctx, versionId: string): Promise<{ queued: number; done: boolean }> {
    return inTransaction(ctx, async (tx) => {
      const run = await lockNoticeRun(tx.db, versionId)
      const version = await findVersion(tx.db, versionId)
      if (!run || run.finished_at || !version || version.status !== 'published') return { queued: 0, done: true }
      const ids = await deps.people.recipients(tx.db, run.last_user_id, batchSize)
      const link = `${base}/policy/versions/${version.number}`
      for (const userId of ids) {
        const locale = (await latestLocaleOf(tx.db, userId)) ?? 'kk'
        const email = await deps.emailOf(tx, userId)
        const sent = email
          ? await deps.send(tx, {
              subjectId: userId,
              channel: 'email',
              to: email,
              template: 'privacy.policy_changed',
              locale,
              params: { link },
            })
          : undefined
        await upsertEmailNotice(tx.db, {
          versionId,
          userId,
          locale,
          notificationId: sent?.id ?? null,
          notifiedAt: tx.now,
        })
      }
      const done = ids.length < batchSize
      await advanceNoticeRun(tx.db, versionId, {
        lastUserId: ids[ids.length - 1] ?? run.last_user_id,
        added: ids.length,
        finishedAt: done ? tx.now : null,
      })
      if (done) {
        await deps.audit.record(tx, {
          action: 'policy.notices_sent',
          targetType: 'policy_version',
          targetId: versionId,
          data: { version: version.number, notices: run.queued + ids.length },
        })
      } else {
        const cursor = ids[ids.length - 1] ?? 'start'
        await deps.queue.enqueue(
          tx.db,
          SEND_POLICY_NOTICES,
          { versionId },
          { uniqueKey: `policy-notices:${versionId}:${cursor}` },
        )
      }
      return { queued: ids.length, done }
    })
  }

  return {
    sendBatch,
    async progress(db, versionId) {
      const run = await findNoticeRun(db, versionId)
      if (!run) return undefined
      return {
        startedAt: run.started_at,
        finishedAt: run.finished_at,
        queued: run.queued,
        delivery: await noticeDelivery(db, versionId),
      }
    },
    jobs: () => [
      defineJob<{ versionId: string }>({
        name: SEND_POLICY_NOTICES,
        handler: async (ctx, payload) => {
          await sendBatch(ctx, payload.versionId)
        },
      }),
    ],
  }
}

/**
 * Marketing announcements (T-3.1.4, B-2.1): "a new course is open" e-mailed
 * only to people whose `marketing` purpose is on — `allows` is asked for
 * each person at sending time, so turning marketing off stops the next
 * announcement. Every message carries a link to turn marketing off.
 * `announce-course` takes the course's absolute URL; it walks every active
 * account in batches.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { defineJob, type JobDefinitions, type JobQueue } from '../../platform/jobs/index'
import type { Ctx, Locale } from '../../platform/context'
import type { Db } from '../../platform/db/database'
import { inTransaction } from '../../platform/context'
import { latestLocaleOf } from './consents.repository'
import type { PeopleDirectory } from './people.repository'
import type { PurposesService } from './purposes.service'

export const ANNOUNCE_COURSE = 'announce-course'

export type SendAnnouncement = (
  ctx: Ctx,
  input: {
    subjectId: string
    channel: 'email'
    to: string
    template: 'privacy.course_announcement'
    locale: Locale
    params: { link: string; unsubscribe: string }
  },
) => Promise<{ id: string }>

export interface MarketingDeps {
  purposes: Pick<PurposesService, 'allows'>
  people: PeopleDirectory
  emailOf(ctx: Ctx, userId: string): Promise<string | undefined>
  send: SendAnnouncement
  queue: Pick<JobQueue, 'enqueue'>
  publicUrl: string
  /** Keys the unsubscribe links (derive it from the keyring; never a literal in production). */
  unsubscribeSecret: string
  batchSize?: number
}

export interface MarketingService {
  /** Enqueues the announcement of a course (its absolute URL) in ctx's transaction. */
  announceCourse(db: Db, courseUrl: string): Promise<void>
  /** Sends it now; returns how many people were written to. */
  sendAnnouncement(ctx: Ctx, courseUrl: string): Promise<number>
  /** The one-click unsubscribe link of a person. */
  unsubscribeUrl(userId: string): string
  /** The account id an unsubscribe link names, when its signature is right. */
  unsubscribeSubject(userId: string, signature: string): string | undefined
  jobs(): JobDefinitions
}

export function createMarketingService(deps: MarketingDeps): MarketingService {
  const base = deps.publicUrl.replace(/\/+$/, '')
  const batchSize = deps.batchSize ?? 200
  const sign = (userId: string) =>
    createHmac('sha256', deps.unsubscribeSecret).update(`unsubscribe.marketing:${userId}`).digest('base64url')
  const unsubscribeUrl = (userId: string) =>
    `${base}/privacy/unsubscribe?u=${encodeURIComponent(userId)}&s=${sign(userId)}`

  async function sendAnnouncement(ctx: Ctx, courseUrl: string): Promise<number> {
    if (!/^https?:\/\/[^\s<>"]+$/.test(courseUrl)) throw new Error('announce-course needs an absolute http(s) URL')
    let after: string | null = null
    let sent = 0
    for (;;) {
      const ids = await deps.people.recipients(ctx.db, after, batchSize)
      if (ids.length === 0) break
      after = ids[ids.length - 1] ?? null
      await inTransaction(ctx, async (tx) => {
        for (const userId of ids) {
          // T-3.1.4: the consent check, at the moment of processing.
          if (!(await deps.purposes.allows(tx.db, userId, 'marketing'))) continue
          const email = await deps.emailOf(tx, userId)
          if (!email) continue
          const locale = (await latestLocaleOf(tx.db, userId)) ?? 'kk'
          await deps.send(tx, {
            subjectId: userId,
            channel: 'email',
            to: email,
            template: 'privacy.course_announcement',
            locale,
            params: { link: courseUrl, unsubscribe: unsubscribeUrl(userId) },
          })
          sent++
        }
      })
      if (ids.length < batchSize) break
    }
    return sent
  }

  return {
    async announceCourse(db, courseUrl) {
      await deps.queue.enqueue(db, ANNOUNCE_COURSE, { courseUrl })
    },
    sendAnnouncement,
    unsubscribeUrl,
    unsubscribeSubject(userId, signature) {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(userId)) return undefined
      const expected = Buffer.from(sign(userId))
      const given = Buffer.from(signature)
      return given.length === expected.length && timingSafeEqual(given, expected) ? userId : undefined
    },
    jobs: () => [
      defineJob<{ courseUrl: string }>({
        name: ANNOUNCE_COURSE,
        handler: async (ctx, payload) => {
          await sendAnnouncement(ctx, payload.courseUrl)
        },
      }),
    ],
  }
}

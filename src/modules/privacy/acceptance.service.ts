/**
 * Acceptance of new policy versions, as each profile's policy says.
 * - Talap (`by_use`, T-1.2): using the site is acceptance. The first
 *   authenticated request after a version's effective date records an
 *   acceptance of it, with the evidence: the version, when the person's
 *   banner about it was first shown, when the e-mail notice was queued.
 * - BTS (`click_or_continued_use`, B-1.2): the banner's "Accept" records an
 *   acceptance; the `record-implied-acceptances` job records an implied one
 *   for a person active after 7 calendar days from publication (Almaty)
 *   without clicking: publication date, notice, and the use after day 7.
 *   We read "after 7 calendar days from its publication" as: the publication
 *   day is day 0, days 1–7 are the seven days, use from the start of day 8
 *   counts. A person inactive since publication gets none.
 * Someone whose newest decision is a withdrawal of consent is never taken to
 * accept by use (only their own click counts).
 * `onRequest` runs on every authenticated request and is cheap: the
 * published versions are cached per process and each person's state per
 * (person, newest version), so a person who accepted costs no query.
 */
import type { AuditLog } from '../../platform/audit/index'
import type { Ctx, Locale } from '../../platform/context'
import type { Db } from '../../platform/db/database'
import { defineJob, type JobDefinitions } from '../../platform/jobs/index'
import { addDays, almatyDate, startOfAlmatyDay } from './calendar'
import { acceptedVersionNumbers, latestDecisions, latestLocaleOf } from './consents.repository'
import type { ConsentRecord, ConsentService } from './consents.service'
import { findNotice, markBannerShown } from './notices.repository'
import type { PeopleDirectory } from './people.repository'
import type { PolicyService } from './policies.service'
import type { PolicyVersionsService, PublishedVersion } from './policy-versions.service'
import { PolicyNotFoundError } from './privacy.errors'
import type { Profile } from './profiles'

export const RECORD_IMPLIED_ACCEPTANCES = 'record-implied-acceptances'

/** People whose acceptance state one process keeps in memory. */
const MAX_CACHED = 20_000

/** What the banner shows a person who has not accepted the newest version. */
export interface PolicyBanner {
  version: PublishedVersion
  /** True once the version governs (its effective date has come). */
  inForce: boolean
  /** BTS: the banner offers "Accept". */
  clickToAccept: boolean
  /** BTS: from when continued use counts as acceptance. */
  impliedFrom: Date | null
}

export interface AcceptanceDeps {
  profile: Profile
  versions: Pick<PolicyVersionsService, 'published'>
  policies: Pick<PolicyService, 'policyText'>
  consents: Pick<ConsentService, 'recordPolicyAcceptance'>
  audit: Pick<AuditLog, 'record'>
  people: PeopleDirectory
  /** How long a person's cached state is trusted (default 5 minutes; another process may have recorded). */
  cacheMs?: number
  /** People per batch in the implied-acceptance job (default 500). */
  batchSize?: number
}

export interface AcceptanceService {
  /** Per authenticated request: records acceptance by use (Talap) and returns the banner to show, if any. */
  onRequest(ctx: Ctx, userId: string): Promise<PolicyBanner | undefined>
  /** The banner state without side effects (pages that show the banner's details). */
  banner(ctx: Ctx, userId: string): Promise<PolicyBanner | undefined>
  /** The banner's "Accept" (B-1.2; Talap users may accept early too): records the acceptance of exactly that text. */
  accept(
    ctx: Ctx,
    input: { userId: string; versionId: string; locale: Locale; textSha256: string },
  ): Promise<ConsentRecord>
  /** From when continued use counts as acceptance of a version (B-1.2); null for `by_use` profiles. */
  impliedFrom(version: PublishedVersion): Date | null
  /** The BTS job: implied acceptances for people active after day 7; returns how many were recorded. */
  recordImplied(ctx: Ctx): Promise<number>
  jobs(): JobDefinitions
}

interface Cached {
  at: number
  newestId: string
  inForceId: string | undefined
  accepted: number
  bannerMarked: boolean
  /**
   * Use is not taken as this person's acceptance: they withdrew consent (only
   * a click counts then), or they do not consent for themselves (a minor).
   */
  noAcceptanceByUse: boolean
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null)

export function createAcceptanceService(deps: AcceptanceDeps): AcceptanceService {
  const { profile, versions, policies, consents, people } = deps
  const cacheMs = deps.cacheMs ?? 5 * 60_000
  const byUse = profile.notice.acceptance === 'by_use'
  const cache = new Map<string, Cached>()

  function impliedFrom(version: PublishedVersion): Date | null {
    const days = profile.notice.impliedAfterDays
    if (days === null) return null
    // Day 0 is the publication day (Almaty); the seven calendar days are days 1..7; use counts from day 8.
    return startOfAlmatyDay(addDays(almatyDate(version.publishedAt), days + 1))
  }

  /** A withdrawal (T-5.1.3, B-2.5) newer than any acceptance: implied acceptance must not override it. */
  async function hasWithdrawn(db: Db, userId: string): Promise<boolean> {
    const [newest] = await latestDecisions(db, userId, ['consent_withdrawn', 'policy_acceptance', 'purpose_granted'])
    return newest?.kind === 'consent_withdrawn'
  }

  async function accepted(db: Db, userId: string): Promise<number> {
    return (await acceptedVersionNumbers(db, profile.id, [userId])).get(userId) ?? 0
  }

  async function record(
    ctx: Ctx,
    userId: string,
    version: PublishedVersion,
    locale: Locale,
    channel: 'web' | 'implied_by_use',
    evidence: Record<string, string | number | boolean | null>,
  ): Promise<ConsentRecord> {
    const text = await policies.policyText(ctx.db, version.id, locale)
    if (!text) throw new PolicyNotFoundError()
    return consents.recordPolicyAcceptance(ctx, {
      subjectId: userId,
      policyVersionId: version.id,
      locale,
      textSha256: text.sha256,
      channel,
      evidence,
    })
  }

  function bannerOf(newest: PublishedVersion, now: Date): PolicyBanner {
    return {
      version: newest,
      inForce: newest.effectiveAt.getTime() <= now.getTime(),
      clickToAccept: !byUse,
      impliedFrom: impliedFrom(newest),
    }
  }

  async function state(ctx: Ctx, userId: string, act: boolean): Promise<PolicyBanner | undefined> {
    const all = await versions.published(ctx.db, ctx.now)
    const newest = all[all.length - 1]
    if (!newest) return undefined
    const inForce = all.filter((v) => v.effectiveAt.getTime() <= ctx.now.getTime()).pop()
    const hit = cache.get(userId)
    const fresh =
      hit &&
      hit.newestId === newest.id &&
      hit.inForceId === inForce?.id &&
      Math.abs(ctx.now.getTime() - hit.at) < cacheMs
    let number = fresh ? hit.accepted : await accepted(ctx.db, userId)
    let bannerMarked = fresh ? hit.bannerMarked : false
    let noAcceptanceByUse = fresh ? hit.noAcceptanceByUse : false
    if (act && byUse && inForce && inForce.number > number && !fresh)
      // A withdrawal stands until a click; a minor, or a person just come of age, accepts nothing by use (Arts. 7–8).
      noAcceptanceByUse =
        (await hasWithdrawn(ctx.db, userId)) || !(await people.selfConsenting(ctx.db, [userId])).has(userId)
    if (act && byUse && inForce && inForce.number > number && !noAcceptanceByUse) {
      // T-1.2: this request is the first use after the effective date: it is the acceptance.
      const notice = await findNotice(ctx.db, inForce.id, userId)
      await record(ctx, userId, inForce, ctx.locale, 'implied_by_use', {
        rule: 'T-1.2',
        version: inForce.number,
        effectiveAt: iso(inForce.effectiveAt),
        bannerShownAt: iso(notice?.banner_shown_at ?? ctx.now),
        noticeSentAt: iso(notice?.notified_at),
        usedAt: iso(ctx.now),
      })
      number = inForce.number
      if (!notice?.banner_shown_at)
        await markBannerShown(ctx.db, { versionId: inForce.id, userId, locale: ctx.locale, at: ctx.now })
    }
    const pending = newest.number > number
    if (act && pending && !bannerMarked) {
      await markBannerShown(ctx.db, { versionId: newest.id, userId, locale: ctx.locale, at: ctx.now })
      bannerMarked = true
    }
    if (act || fresh) {
      // Bounded: the oldest entry goes first (a Map keeps insertion order); a miss only costs one query.
      cache.delete(userId)
      if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string)
      cache.set(userId, {
        at: fresh ? hit.at : ctx.now.getTime(),
        newestId: newest.id,
        inForceId: inForce?.id,
        accepted: number,
        bannerMarked,
        noAcceptanceByUse,
      })
    }
    return pending ? bannerOf(newest, ctx.now) : undefined
  }

  async function recordImplied(ctx: Ctx): Promise<number> {
    if (byUse) return 0
    const all = await versions.published(ctx.db, new Date(0))
    let recorded = 0
    // Newest first: a person active after the newest version's day 7 accepts that one, which covers older ones.
    for (const version of [...all].reverse()) {
      const from = impliedFrom(version)
      if (!from || from.getTime() > ctx.now.getTime() || version.number === 1) continue
      const batch = deps.batchSize ?? 500
      let after: string | null = null
      for (;;) {
        const ids = await people.recipients(ctx.db, after, batch)
        if (ids.length === 0) break
        after = ids[ids.length - 1] ?? null
        const acceptedBy = await acceptedVersionNumbers(ctx.db, profile.id, ids)
        const pending = ids.filter((id) => (acceptedBy.get(id) ?? 0) < version.number)
        const seen = await people.lastSeenSince(ctx.db, pending, from)
        const self = await people.selfConsenting(ctx.db, [...seen.keys()])
        for (const [userId, usedAt] of seen) {
          // A minor's use is not an acceptance (law Arts. 7–8); nor is one withdrawn.
          if (!self.has(userId) || (await hasWithdrawn(ctx.db, userId))) continue
          const notice = await findNotice(ctx.db, version.id, userId)
          const locale = notice?.locale ?? (await latestLocaleOf(ctx.db, userId)) ?? 'kk'
          await record(ctx, userId, version, locale, 'implied_by_use', {
            rule: 'B-1.2',
            version: version.number,
            publishedAt: iso(version.publishedAt),
            impliedFrom: iso(from),
            noticeSentAt: iso(notice?.notified_at),
            bannerShownAt: iso(notice?.banner_shown_at),
            usedAt: iso(usedAt),
          })
          cache.delete(userId)
          recorded++
        }
        if (ids.length < batch) break
      }
    }
    return recorded
  }

  return {
    onRequest: (ctx, userId) => state(ctx, userId, true),
    banner: (ctx, userId) => state(ctx, userId, false),
    async accept(ctx, input) {
      const all = await versions.published(ctx.db, ctx.now)
      const version = all.find((v) => v.id === input.versionId)
      if (!version) throw new PolicyNotFoundError()
      const notice = await findNotice(ctx.db, version.id, input.userId)
      const text = await policies.policyText(ctx.db, version.id, input.locale)
      if (!text) throw new PolicyNotFoundError()
      const rec = await consents.recordPolicyAcceptance(ctx, {
        subjectId: input.userId,
        policyVersionId: version.id,
        locale: input.locale,
        textSha256: input.textSha256,
        channel: 'web',
        evidence: {
          rule: byUse ? 'T-1.2' : 'B-1.2',
          version: version.number,
          bannerShownAt: iso(notice?.banner_shown_at),
          noticeSentAt: iso(notice?.notified_at),
        },
      })
      cache.delete(input.userId)
      return rec
    },
    impliedFrom,
    recordImplied,
    jobs: () => [
      defineJob({
        name: RECORD_IMPLIED_ACCEPTANCES,
        // Hourly (Almaty): acceptance follows use within the hour, and a slot missed is caught up by the next.
        cron: '7 * * * *',
        handler: async (ctx) => {
          await recordImplied(ctx)
        },
      }),
    ],
  }
}

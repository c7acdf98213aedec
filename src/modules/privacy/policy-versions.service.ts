/**
 * The life of a policy version after version 1 (T-6.1, T-6.2, T-6.4, B-1.2):
 * the DPO drafts the next version in kk, ru and en, compares it with the
 * current one, and publishes it with an effective date. The profile's notice
 * rule is checked in calendar days of Asia/Almaty: Talap needs the effective
 * date at least 10 days after publication (T-6.4); BTS has no minimum, its
 * users accept by a click or by use after 7 days (B-1.2). Publishing starts
 * the notices to every person (`send-policy-notices`, in batches) in the
 * same transaction. Published versions never change (0005's triggers).
 */
import { randomUUID } from 'node:crypto'
import type { AuditLog } from '../../platform/audit/index'
import { inTransaction, LOCALES, type Ctx, type Locale } from '../../platform/context'
import type { Db } from '../../platform/db/database'
import type { JobQueue } from '../../platform/jobs/index'
import { addDays, almatyDate, daysBetween, isCalendarDate, startOfAlmatyDay } from './calendar'
import { startNoticeRun } from './notices.repository'
import { sha256Hex } from './policies.service'
import {
  findDraftVersion,
  findVersion,
  insertDraftVersion,
  listTexts,
  listVersions,
  lockProfilePolicies,
  nextVersionNumber,
  publishVersion,
  replaceDraftText,
  type PolicyVersionRow,
} from './policies.repository'
import { diffPolicies, type PolicyDiff } from './policy-diff'
import { DraftInvalidError, DraftNotFoundError, EffectiveDateInvalidError, NoticeTooShortError } from './privacy.errors'
import type { PolicyStatus } from './privacy.tables'
import type { Profile } from './profiles'

/** The job that sends a published version's notices, one batch per run. */
export const SEND_POLICY_NOTICES = 'send-policy-notices'

export const MAX_POLICY_LENGTH = 200_000

export interface VersionSummary {
  id: string
  number: number
  status: PolicyStatus
  publishedAt: Date | null
  effectiveAt: Date | null
  createdAt: Date
}

export interface PublishedVersion extends VersionSummary {
  publishedAt: Date
  effectiveAt: Date
}

export type PolicyTexts = Record<Locale, string>

export interface VersionDiff {
  version: VersionSummary
  /** The version compared against; undefined for version 1. */
  previous: VersionSummary | undefined
  diff: PolicyDiff
}

export interface NoticeRule {
  /** Minimum calendar days from publication to the effective date (T-6.4). */
  days: number
  /** Today in Almaty: the publication date if published now. */
  today: string
  /** The first effective date allowed when publishing now. */
  earliest: string
}

export interface PolicyVersionsDeps {
  audit: Pick<AuditLog, 'record'>
  queue: Pick<JobQueue, 'enqueue'>
  profile: Profile
  /** How long another process's publication may stay unseen by this one's cache (default 60 s). */
  cacheMs?: number
}

export interface PolicyVersionsService {
  /** Every version of the profile, drafts included, oldest first. */
  versions(db: Db): Promise<VersionSummary[]>
  /** The published versions, oldest first (cached; `now` decides when the cache is stale). */
  published(db: Db, now: Date): Promise<PublishedVersion[]>
  /** A version by number; drafts only when `includeDraft`. */
  versionByNumber(db: Db, number: number, options?: { includeDraft?: boolean }): Promise<VersionSummary | undefined>
  /** The draft and its texts (empty strings for missing languages), if there is one. */
  draft(db: Db): Promise<{ version: VersionSummary; texts: PolicyTexts } | undefined>
  /** Creates the draft (next number) or replaces its texts; throws DraftInvalidError. */
  saveDraft(ctx: Ctx, texts: PolicyTexts): Promise<VersionSummary>
  /** The notice rule as it applies to a publication at `now`. */
  noticeRule(now: Date): NoticeRule
  /** Publishes the draft from `effectiveDate` (Almaty); throws NoticeTooShortError, EffectiveDateInvalidError. */
  publish(ctx: Ctx, input: { versionId: string; effectiveDate: string }): Promise<PublishedVersion>
  /** A version's text in `locale` against the previous published version (a draft: against the newest published). */
  diff(db: Db, versionId: string, locale: Locale): Promise<VersionDiff | undefined>
}

const toSummary = (r: PolicyVersionRow): VersionSummary => ({
  id: r.id,
  number: r.number,
  status: r.status,
  publishedAt: r.published_at,
  effectiveAt: r.effective_at,
  createdAt: r.created_at,
})

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Policy Markdown as stored: LF line ends, Unicode NFC, no trailing blanks at the ends. */
export function normaliseMarkdown(text: string): string {
  return text.replace(/\r\n?/g, '\n').normalize('NFC').trim() + '\n'
}

/** Builds the policy versions service for the active profile. */
export function createPolicyVersionsService(deps: PolicyVersionsDeps): PolicyVersionsService {
  const { audit, queue, profile } = deps
  const cacheMs = deps.cacheMs ?? 60_000
  let cache: { at: number; db: Db; versions: PublishedVersion[] } | undefined

  async function published(db: Db, now: Date): Promise<PublishedVersion[]> {
    if (cache && cache.db === db && Math.abs(now.getTime() - cache.at) < cacheMs) return cache.versions
    const versions = (await listVersions(db, profile.id))
      .filter((v) => v.status === 'published')
      .map(toSummary) as PublishedVersion[]
    cache = { at: now.getTime(), db, versions }
    return versions
  }

  function noticeRule(now: Date): NoticeRule {
    const today = almatyDate(now)
    const days = profile.notice.noticeDays
    return { days, today, earliest: addDays(today, days) }
  }

  async function textsOf(db: Db, versionId: string): Promise<PolicyTexts> {
    const texts: PolicyTexts = { kk: '', ru: '', en: '' }
    for (const t of await listTexts(db, versionId)) texts[t.locale] = t.markdown
    return texts
  }

  return {
    async versions(db) {
      return (await listVersions(db, profile.id)).map(toSummary)
    },

    published,

    async versionByNumber(db, number, options = {}) {
      const found = (await listVersions(db, profile.id)).find((v) => v.number === number)
      if (!found || (found.status === 'draft' && !options.includeDraft)) return undefined
      return toSummary(found)
    },

    async draft(db) {
      const row = await findDraftVersion(db, profile.id)
      if (!row) return undefined
      return { version: toSummary(row), texts: await textsOf(db, row.id) }
    },

    async saveDraft(ctx, texts) {
      const clean = {} as PolicyTexts
      for (const locale of LOCALES) {
        const text = normaliseMarkdown(texts[locale] ?? '')
        if (text.trim() === '' || text.length > MAX_POLICY_LENGTH) throw new DraftInvalidError(locale)
        clean[locale] = text
      }
      return inTransaction(ctx, async (tx) => {
        await lockProfilePolicies(tx.db, profile.id)
        let row = await findDraftVersion(tx.db, profile.id)
        const created = !row
        if (!row) {
          const id = randomUUID()
          const number = await nextVersionNumber(tx.db, profile.id)
          await insertDraftVersion(tx.db, { id, profile: profile.id, number, createdAt: tx.now })
          row = (await findVersion(tx.db, id))!
        }
        for (const locale of LOCALES) {
          await replaceDraftText(tx.db, {
            versionId: row.id,
            locale,
            markdown: clean[locale],
            sha256: sha256Hex(clean[locale]),
          })
        }
        await audit.record(tx, {
          action: created ? 'policy.draft_created' : 'policy.draft_saved',
          targetType: 'policy_version',
          targetId: row.id,
          data: { profile: profile.id, version: row.number },
        })
        return toSummary(row)
      })
    },

    noticeRule,

    async publish(ctx, input) {
      if (!UUID.test(input.versionId)) throw new DraftNotFoundError()
      if (!isCalendarDate(input.effectiveDate)) throw new EffectiveDateInvalidError()
      const rule = noticeRule(ctx.now)
      if (daysBetween(rule.today, input.effectiveDate) < 0) throw new EffectiveDateInvalidError()
      // T-6.4: publication day D, effective date at least D + noticeDays (calendar days in Almaty).
      if (daysBetween(rule.today, input.effectiveDate) < rule.days)
        throw new NoticeTooShortError(rule.days, rule.earliest)
      const start = startOfAlmatyDay(input.effectiveDate)
      const effectiveAt = start.getTime() < ctx.now.getTime() ? ctx.now : start
      const result = await inTransaction(ctx, async (tx) => {
        await lockProfilePolicies(tx.db, profile.id)
        const row = await findVersion(tx.db, input.versionId)
        if (!row || row.profile !== profile.id || row.status !== 'draft') throw new DraftNotFoundError()
        await publishVersion(tx.db, row.id, tx.now, effectiveAt)
        await audit.record(tx, {
          action: 'policy.published',
          targetType: 'policy_version',
          targetId: row.id,
          data: { profile: profile.id, version: row.number, effectiveDate: input.effectiveDate },
        })
        await startNoticeRun(tx.db, row.id, tx.now)
        await queue.enqueue(
          tx.db,
          SEND_POLICY_NOTICES,
          { versionId: row.id },
          { uniqueKey: `policy-notices:${row.id}` },
        )
        return { ...toSummary(row), status: 'published' as const, publishedAt: tx.now, effectiveAt }
      })
      cache = undefined
      return result
    },

    async diff(db, versionId, locale) {
      if (!UUID.test(versionId)) return undefined
      const all = (await listVersions(db, profile.id)).map(toSummary)
      const version = all.find((v) => v.id === versionId)
      if (!version) return undefined
      const earlier = all.filter((v) => v.status === 'published' && v.number < version.number)
      const previous = earlier[earlier.length - 1]
      const after = (await textsOf(db, version.id))[locale]
      const before = previous ? (await textsOf(db, previous.id))[locale] : undefined
      return { version, previous, diff: diffPolicies(before, after) }
    },
  }
}

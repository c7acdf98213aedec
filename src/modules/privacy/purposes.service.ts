/**
 * Consent per purpose (T-3.1, T-3.1.4, T-3.1.5, B-2.1, B-2.2, B-4.2). The
 * profile lists its purposes: essential ones are always on; consent ones are
 * on or off per person, starting from the profile's default (stated in the
 * policy the person accepted). Every change is a ledger entry
 * (`purpose_granted` / `purpose_withdrawn`) with its Art. 8(4) receipt.
 * `allows` is the one check every optional processing path calls: the
 * newest decision wins; a withdrawal of consent altogether (T-5.1.3, B-2.5)
 * turns every consent purpose off until the person turns one on again.
 */
import type { Ctx, Locale } from '../../platform/context'
import type { Db } from '../../platform/db/database'
import type { Purpose } from '../../platform/data-map/taxonomy'
import { latestDecisions } from './consents.repository'
import type { ConsentRecord, ConsentService } from './consents.service'
import type { PolicyService } from './policies.service'
import { PolicyNotFoundError, PurposeInvalidError } from './privacy.errors'
import type { Profile } from './profiles'
import type { ProfilePurpose } from './profiles.schema'

export interface PurposeState {
  purpose: Purpose
  basis: 'essential' | 'consent'
  on: boolean
  /** The profile's default for a consent purpose. */
  default: boolean | null
  /** The decision that set the state; null while the default applies (or for an essential purpose). */
  decision: ConsentRecord | null
  categories: ProfilePurpose['categories']
  clauses: string[]
}

export interface PurposesDeps {
  profile: Profile
  consents: Pick<ConsentService, 'recordDecision'>
  policies: Pick<PolicyService, 'currentPolicy'>
}

export interface PurposesService {
  /** True when the subject's data may be processed for `purpose` now: the single consent check. */
  allows(db: Db, subjectId: string, purpose: string): Promise<boolean>
  /** Every purpose of the profile with the subject's state. */
  states(db: Db, subjectId: string): Promise<PurposeState[]>
  /** Turns a consent purpose on or off (a ledger entry under the policy in force, in `locale`). */
  set(
    ctx: Ctx,
    input: {
      subjectId: string
      givenBy?: string
      purpose: string
      on: boolean
      locale: Locale
      channel?: 'web' | 'api' | 'staff'
    },
  ): Promise<ConsentRecord>
  /**
   * A representative's decision on a consent purpose for a subject (law Arts. 7–9: a guardian for a
   * minor): the ledger names `givenBy` as the decider and the evidence says it was on the subject's behalf.
   * The caller has checked that `givenBy` may act for `subjectId` (accounts: a live guardian link).
   */
  setForSubject(
    ctx: Ctx,
    input: { subjectId: string; purpose: string; on: boolean; givenBy: string; locale?: Locale },
  ): Promise<ConsentRecord>
}

const toRecord = (r: Awaited<ReturnType<typeof latestDecisions>>[number]): ConsentRecord => ({
  id: r.id,
  subjectId: r.subject_id,
  givenBy: r.given_by,
  kind: r.kind,
  purpose: r.purpose,
  policyVersionId: r.policy_version_id,
  locale: r.locale,
  textSha256: r.text_sha256,
  decidedAt: r.decided_at,
  channel: r.channel,
  evidence: r.evidence,
  signature: r.signature,
})

export function createPurposesService(deps: PurposesDeps): PurposesService {
  const { profile } = deps
  const byId = new Map(profile.purposes.map((p) => [p.id as string, p]))

  async function states(db: Db, subjectId: string): Promise<PurposeState[]> {
    const decisions = await latestDecisions(db, subjectId, [
      'purpose_granted',
      'purpose_withdrawn',
      'consent_withdrawn',
    ])
    return profile.purposes.map((p) => {
      if (p.basis === 'essential')
        return {
          purpose: p.id,
          basis: p.basis,
          on: true,
          default: null,
          decision: null,
          categories: p.categories,
          clauses: p.clauses,
        }
      const newest = decisions.find((d) => d.kind === 'consent_withdrawn' || d.purpose === p.id)
      const on = newest ? newest.kind === 'purpose_granted' : (p.default ?? false)
      return {
        purpose: p.id,
        basis: p.basis,
        on,
        default: p.default ?? false,
        decision: newest ? toRecord(newest) : null,
        categories: p.categories,
        clauses: p.clauses,
      }
    })
  }

  return {
    async allows(db, subjectId, purpose) {
      const p = byId.get(purpose)
      if (!p) return false
      if (p.basis === 'essential') return true
      return (await states(db, subjectId)).find((s) => s.purpose === purpose)?.on ?? false
    },
    states,
    set: (ctx, input) => set(ctx, input),
    async setForSubject(ctx, input) {
      return set(ctx, { ...input, locale: input.locale ?? ctx.locale, channel: 'web' })
    },
  }

  async function set(ctx: Ctx, input: Parameters<PurposesService['set']>[1]): Promise<ConsentRecord> {
    const p = byId.get(input.purpose)
    if (!p || p.basis !== 'consent') throw new PurposeInvalidError(input.purpose)
    const policy = await deps.policies.currentPolicy(ctx.db, profile.id, input.locale, ctx.now)
    if (!policy) throw new PolicyNotFoundError()
    return deps.consents.recordDecision(ctx, {
      kind: input.on ? 'purpose_granted' : 'purpose_withdrawn',
      purpose: p.id,
      subjectId: input.subjectId,
      givenBy: input.givenBy,
      policyVersionId: policy.versionId,
      locale: input.locale,
      textSha256: policy.sha256,
      channel: input.channel ?? 'web',
      evidence: {
        profile: profile.id,
        default: p.default ?? false,
        ...(input.givenBy && input.givenBy !== input.subjectId ? { on_behalf_of_minor: true } : {}),
      },
    })
  }
}

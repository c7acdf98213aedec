/**
 * The privacy lifecycle assembled (issue 4): policy versions and their
 * notices, acceptance, purposes, withdrawal and marketing announcements,
 * built in dependency order from what the composition root injects — the
 * accounts module's e-mail lookup and password check come in as functions,
 * because accounts already depends on this module.
 */
import type { AuditLog } from '../../platform/audit/index'
import type { FieldCrypto } from '../../platform/crypto/index'
import { createComplaintsService, type ComplaintsService } from './complaints.service'
import type { Ctx } from '../../platform/context'
import type { JobDefinitions, JobQueue } from '../../platform/jobs/index'
import { createAcceptanceService, type AcceptanceService } from './acceptance.service'
import { createClosureService, type ClosureService } from './closure.service'
import type { ConsentService } from './consents.service'
import { createMarketingService, type MarketingService, type SendAnnouncement } from './marketing.jobs'
import { createNoticesService, type NoticesService, type SendNotice } from './notices.service'
import { sqlPeopleDirectory, type PeopleDirectory } from './people.repository'
import type { PolicyService } from './policies.service'
import { createPolicyVersionsService, type PolicyVersionsService } from './policy-versions.service'
import type { Profile } from './profiles'
import { createPurposesService, type PurposesService } from './purposes.service'
import { createWithdrawalService, type WithdrawalEffect, type WithdrawalService } from './withdrawal.service'

export interface PrivacyLifecycleDeps {
  audit: Pick<AuditLog, 'record'>
  crypto: Pick<FieldCrypto, 'encryptField' | 'decryptField'>
  queue: Pick<JobQueue, 'enqueue'>
  profile: Profile
  policies: PolicyService
  consents: ConsentService
  /** The notifications module's `send`. */
  send: SendNotice & SendAnnouncement
  /** The person's e-mail address (accounts). */
  emailOf(ctx: Ctx, userId: string): Promise<string | undefined>
  /** Checks a person's password (accounts). */
  verifyPassword(ctx: Ctx, userId: string, password: string): Promise<boolean>
  obligations?(ctx: Ctx, subjectId: string): Promise<string[]>
  onWithdrawn?(ctx: Ctx, subjectId: string, effect: WithdrawalEffect): Promise<void>
  /** Closes an account in the caller's transaction: status `closed`, sessions ended (accounts); false if not active. */
  closeAccount(ctx: Ctx, userId: string): Promise<boolean>
  /** Who gets notices and announcements, and who was active (default: read from the accounts tables). */
  people?: PeopleDirectory
  publicUrl: string
  /** Keys the one-click unsubscribe links of marketing messages (derived from the keyring). */
  unsubscribeSecret: string
  batchSize?: number
}

export interface PrivacyLifecycle {
  versions: PolicyVersionsService
  notices: NoticesService
  acceptance: AcceptanceService
  purposes: PurposesService
  withdrawal: WithdrawalService
  marketing: MarketingService
  complaints: ComplaintsService
  /** Closing the account (T-1.2), signed like a withdrawal, handed over to retention. */
  closure: ClosureService
}

export function createPrivacyLifecycle(deps: PrivacyLifecycleDeps): PrivacyLifecycle {
  const { audit, queue, profile, policies, consents, publicUrl } = deps
  const people = deps.people ?? sqlPeopleDirectory
  const versions = createPolicyVersionsService({ audit, queue, profile })
  const notices = createNoticesService({
    audit,
    queue,
    people,
    emailOf: deps.emailOf,
    send: deps.send,
    publicUrl,
    batchSize: deps.batchSize,
  })
  const acceptance = createAcceptanceService({ profile, versions, policies, consents, audit, people })
  const purposes = createPurposesService({ profile, consents, policies })
  const withdrawal = createWithdrawalService({
    profile,
    audit,
    consents,
    policies,
    verifyPassword: deps.verifyPassword,
    obligations: deps.obligations,
    onWithdrawn: deps.onWithdrawn,
  })
  const marketing = createMarketingService({
    purposes,
    people,
    emailOf: deps.emailOf,
    send: deps.send,
    queue,
    publicUrl,
    unsubscribeSecret: deps.unsubscribeSecret,
    batchSize: deps.batchSize,
  })
  const complaints = createComplaintsService({ audit, crypto: deps.crypto })
  const closure = createClosureService({
    profile,
    audit,
    consents,
    policies,
    verifyPassword: deps.verifyPassword,
    obligations: deps.obligations,
    closeAccount: deps.closeAccount,
  })
  return { versions, notices, acceptance, purposes, withdrawal, marketing, complaints, closure }
}

/** The lifecycle's jobs: notices in batches, BTS implied acceptances (hourly), course announcements. */
export function privacyJobs(lifecycle: PrivacyLifecycle): JobDefinitions {
  return [...lifecycle.notices.jobs(), ...lifecycle.acceptance.jobs(), ...lifecycle.marketing.jobs()]
}

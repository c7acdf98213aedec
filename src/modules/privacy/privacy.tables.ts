/** The privacy tables as Kysely sees them (migration 0005-privacy); use `db.withTables<PrivacyTables>()`. */
import type { ColumnType } from 'kysely'
import type { Locale } from '../../platform/context'

export const POLICY_STATUSES = ['draft', 'published'] as const
export type PolicyStatus = (typeof POLICY_STATUSES)[number]

/**
 * One row per decision in the consent ledger: accepting a policy version, granting or withdrawing one
 * purpose, or withdrawing consent to processing altogether (T-5.1.3, B-2.5; migration 0013).
 */
export const CONSENT_KINDS = ['policy_acceptance', 'purpose_granted', 'purpose_withdrawn', 'consent_withdrawn'] as const
export type ConsentKind = (typeof CONSENT_KINDS)[number]

/**
 * How a decision reached us. `web_registration`: the registration form;
 * `web`: a page of the site (banner "Accept", privacy centre); `api`: the
 * JSON API; `implied_by_use`: continued use after the notice period (B-1.2);
 * `staff`: recorded by the DPO from a written notice (T-5.1.3, B-2.5). A
 * guardian acting for a minor uses the same channels; `given_by` names them.
 */
export const CONSENT_CHANNELS = ['web_registration', 'web', 'api', 'implied_by_use', 'staff'] as const
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number]

export interface PolicyVersionsTable {
  id: string
  /** The operator profile id (`talap`, `bts-education`). */
  profile: string
  /** 1, 2, 3… per profile. */
  number: number
  status: PolicyStatus
  published_at: Date | null
  /** From when this version governs; at least the profile's notice days after publication (T-6.4). */
  effective_at: Date | null
  created_at: Date
}

export interface PolicyTextsTable {
  version_id: string
  locale: Locale
  markdown: string
  /** Hex SHA-256 of the UTF-8 Markdown; a CHECK recomputes it. */
  sha256: string
}

export interface ConsentRecordsTable {
  id: string
  /** Whose personal data the decision is about. */
  subject_id: string
  /** Who decided: the subject, or their legal representative (law Arts. 7–9). */
  given_by: string
  kind: ConsentKind
  purpose: string | null
  policy_version_id: string
  /** The language of the text that was shown. */
  locale: Locale
  /** SHA-256 of exactly the text that was shown (foreign key to policy_texts). */
  text_sha256: string
  decided_at: Date
  channel: string
  /** The decider's IP address, encrypted under the subject's data key (field `privacy.consent_ip`). */
  ip_ciphertext: string | null
  /** The decider's user agent, encrypted under the subject's data key (field `privacy.consent_user_agent`). */
  user_agent_ciphertext: string | null
  /** Small flat facts without personal data (e.g. the notice shown and when). */
  evidence: ColumnType<Record<string, unknown>, string, string>
  /** Insertion order (identity, migration 0013): the newest decision is the highest. */
  seq: ColumnType<string, never, never>
  /** `hmac-sha256:<hex>` over the record's canonical content (withdrawals; migration 0013); null for older kinds. */
  signature: ColumnType<string | null, string | null | undefined, never>
}

/** One notice of a new policy version to one person (migration 0013). */
export interface PolicyNoticesTable {
  version_id: string
  user_id: string
  /** The language the notice was sent in. */
  locale: Locale
  /** The e-mail in the notifications outbox; null when the person has no address. */
  notification_id: string | null
  /** When the e-mail was queued. */
  notified_at: Date | null
  /** When the in-app banner about this version was first shown to the person. */
  banner_shown_at: Date | null
}

/** Progress of sending one version's notices in batches. */
export interface PolicyNoticeRunsTable {
  version_id: string
  started_at: Date
  /** The last person handled (ids in order); null before the first batch. */
  last_user_id: string | null
  queued: ColumnType<number, number | undefined, number>
  finished_at: Date | null
}

export const COMPLAINT_STATUSES = ['open', 'closed'] as const
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number]

/** A complaint filed with the DPO from the privacy centre (T-5.1.5). */
export interface PrivacyComplaintsTable {
  id: string
  subject_id: string
  created_at: Date
  status: ComplaintStatus
  /** The complaint's text, encrypted under the complainant's data key (field `privacy.complaint.<id>`). */
  body_ciphertext: string
  closed_at: Date | null
}

/**
 * A closed account handed over to retention (migration 0017, T-1.2, T-4.5, B-2.4): when it was closed, the
 * signed ledger record of the decision, and the Almaty date from which the profile's retention rule applies.
 */
export interface AccountClosuresTable {
  subject_id: string
  closed_at: Date
  /** The signed `consent_withdrawn` record (effect `close_account`) the closure is evidenced by. */
  consent_id: string
  /** The profile's rule at closure: `last_activity` (T-4.5) or `agreement_end` (B-2.4). */
  retention_from: 'last_activity' | 'agreement_end'
  retention_years: number
  /** `YYYY-MM-DD` (Almaty): from this date the retention rule no longer keeps the data (T-4.5.5). */
  retention_until: string
}

// A type alias, not an interface: withTables<T>() needs T to have an implicit index signature.
export type PrivacyTables = {
  policy_versions: PolicyVersionsTable
  policy_texts: PolicyTextsTable
  consent_records: ConsentRecordsTable
  policy_notices: PolicyNoticesTable
  policy_notice_runs: PolicyNoticeRunsTable
  privacy_complaints: PrivacyComplaintsTable
  account_closures: AccountClosuresTable
}

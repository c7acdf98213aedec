/**
 * The receipt of a consent record (law Art. 8(4), T-6.3, B-1.3): the eight
 * items a consent record must carry, assembled from the ledger, the policy
 * version and the operator profile. Names live in the accounts module, so
 * the caller passes `subjectName`; this module never imports accounts.
 */
import type { Ctx, Locale } from '../../platform/context'
import type { PdCategory, Purpose } from '../../platform/data-map/taxonomy'
import type { ConsentRecord, ConsentService } from './consents.service'
import type { PolicyService, PolicyText } from './policies.service'
import { ConsentNotFoundError, PolicyNotFoundError } from './privacy.errors'
import { loadProfile, profileCategories, type Profile } from './profiles'
import type { ProfileRecipient } from './profiles.schema'

/** Everything a receipt states, in the receipt's language (labels are added by the presenter). */
export interface ConsentReceipt {
  locale: Locale
  issuedAt: Date
  record: ConsentRecord
  /** Item 1. */
  operator: {
    name: string
    bin: string | null
    address: string | null
    phone: string | null
    email: string | null
    website: string
    policyUrl: string | null
  }
  /** Item 2: null when the operator holds no full name for the subject. */
  subjectName: string | null
  /** Item 3. */
  validity: string
  /** Item 4, with the kinds of recipient (by law only: `authority`). */
  thirdParties: { transfer: boolean; recipients: ProfileRecipient[] }
  /** Item 5. */
  crossBorder: { transfer: boolean; withConsent: boolean }
  /** Item 6. */
  publicSources: boolean
  /** Item 7. */
  categories: PdCategory[]
  /** Item 8: other information the operator adds. */
  policy: { number: number; effectiveAt: Date }
  representativeName: string | null
  dpo: { title: string; email: string | null; phone: string | null } | null
  authorisedBody: string
  court: string
  withdrawal: Profile['withdrawal']
  clauses: string[]
}

export interface ReceiptServiceDeps {
  consents: Pick<ConsentService, 'findRecord'>
  policies: Pick<PolicyService, 'policyText'>
  /** The active operator profile. */
  profile: Profile
  /** Where other profiles are read from, for records made under another profile (default: the shipped ones). */
  profilesDir?: string
  /** The person's full name as the accounts module holds it, or null. */
  subjectName(ctx: Ctx, subjectId: string): Promise<string | null | undefined>
}

export interface ReceiptService {
  /** Assembles the Art. 8(4) receipt of a record in ctx.locale; throws ConsentNotFoundError. */
  consentReceipt(ctx: Ctx, recordId: string): Promise<ConsentReceipt>
}

interface Names {
  subject: string | null
  representative: string | null
}

/** Items 1 and 3–8 from the profile the record was made under; the names come from the caller. */
function assemble(
  ctx: Ctx,
  profile: Profile,
  record: ConsentRecord,
  version: PolicyText,
  names: Names,
): ConsentReceipt {
  const locale = ctx.locale
  const o = profile.operator
  const recipients = profile.recipients.list
  const abroad = recipients.filter((r) => r.countries.some((c) => c !== 'KZ'))
  const purposes = record.purpose === null ? undefined : [record.purpose as Purpose]
  return {
    locale,
    issuedAt: ctx.now,
    record,
    operator: {
      name: o.legalName[locale],
      bin: o.bin,
      address: o.address?.[locale] ?? null,
      phone: o.phone,
      email: o.email,
      website: o.website,
      policyUrl: o.policyUrl,
    },
    subjectName: names.subject,
    validity: profile.consentRecord.validity[locale],
    thirdParties: { transfer: profile.consentRecord.thirdPartyTransfer, recipients },
    crossBorder: {
      transfer: profile.consentRecord.crossBorderTransfer,
      withConsent: abroad.length > 0 && abroad.every((r) => r.basis === 'consent'),
    },
    publicSources: profile.consentRecord.publicSources,
    categories: profileCategories(profile, purposes),
    policy: { number: version.number, effectiveAt: version.effectiveAt },
    representativeName: names.representative,
    dpo: o.dpo && { title: o.dpo.title[locale], email: o.dpo.email, phone: o.dpo.phone },
    authorisedBody: profile.complaints.authorisedBody.name[locale],
    court: profile.complaints.court[locale],
    withdrawal: profile.withdrawal,
    clauses: profile.consentRecord.clauses,
  }
}

/** Builds the receipt service. */
export function createReceiptService(deps: ReceiptServiceDeps): ReceiptService {
  const profiles = new Map<string, Profile>([[deps.profile.id, deps.profile]])
  const profileOf = (id: string): Profile => {
    const found = profiles.get(id) ?? loadProfile(id, deps.profilesDir)
    profiles.set(id, found)
    return found
  }
  const nameOf = async (ctx: Ctx, id: string) => (await deps.subjectName(ctx, id)) ?? null

  return {
    async consentReceipt(ctx, recordId) {
      const record = await deps.consents.findRecord(ctx.db, recordId)
      if (!record) throw new ConsentNotFoundError()
      const version = await deps.policies.policyText(ctx.db, record.policyVersionId, record.locale)
      if (!version) throw new PolicyNotFoundError()
      const names = {
        subject: await nameOf(ctx, record.subjectId),
        representative: record.givenBy === record.subjectId ? null : await nameOf(ctx, record.givenBy),
      }
      return assemble(ctx, profileOf(version.profile), record, version, names)
    },
  }
}

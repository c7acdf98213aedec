/**
 * The shape of an operator profile file (`profiles/<id>.json`), as a TypeBox
 * schema checked at start-up. A profile is data: the operator's identity,
 * its purposes and the data categories each needs, the registration fields,
 * retention, notice and acceptance, recipients, withdrawal and the facts a
 * consent record states (law Art. 8(4)). Rules that span several fields
 * (minimisation T-3.2, recipients vs. consent-record facts) are checked in
 * profiles.ts after this schema passes.
 */
import { Type, type Static } from 'typebox'
import { PD_CATEGORIES, PURPOSES, type PdCategory, type Purpose } from '../../platform/data-map/taxonomy'

export const PD_CATEGORY_IDS = Object.keys(PD_CATEGORIES) as [PdCategory, ...PdCategory[]]
export const PURPOSE_IDS = Object.keys(PURPOSES) as [Purpose, ...Purpose[]]

/** Every field a registration or profile form may ask for, and the data category it holds. */
export const FIELD_CATEGORIES = {
  surname: 'identity',
  givenName: 'identity',
  patronymic: 'identity',
  userName: 'identity',
  phone: 'contact',
  email: 'contact',
  iin: 'government_id',
  gender: 'demographic',
  birthDate: 'demographic',
  avatar: 'media',
} as const satisfies Record<string, PdCategory>

export type RegistrationFieldName = keyof typeof FIELD_CATEGORIES
const FIELD_NAMES = Object.keys(FIELD_CATEGORIES) as [RegistrationFieldName, ...RegistrationFieldName[]]

const NonEmpty = Type.String({ minLength: 1, maxLength: 2000 })
const Localized = Type.Object({ kk: NonEmpty, ru: NonEmpty, en: NonEmpty }, { additionalProperties: false })
/** Clause ids of the operator's policy, e.g. `T-4.5` or `B-1.2` (see clauses.en.md). */
const ClauseId = Type.String({ pattern: '^[A-Z]{1,3}-[0-9]+(\\.[0-9]+)*$' })
const Clauses = Type.Array(ClauseId, { minItems: 1, uniqueItems: true })
const Category = Type.Enum(PD_CATEGORY_IDS)
const Url = Type.String({ pattern: '^https://[^\\s"<>]+$', maxLength: 300 })
const Email = Type.String({ pattern: '^[^\\s@<>"]+@[^\\s@<>"]+\\.[^\\s@<>"]+$', maxLength: 254 })
const Phone = Type.String({ pattern: '^\\+[0-9][0-9 ()-]{6,24}$' })
/** ISO 3166-1 alpha-2, or `*` for any state the law allows a cross-border transfer to (Art. 16). */
const Country = Type.String({ pattern: '^([A-Z]{2}|\\*)$' })
const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])

const Operator = Type.Object(
  {
    legalName: Localized,
    /** Business identification number (12 digits); null until the operator states it. */
    bin: nullable(Type.String({ pattern: '^[0-9]{12}$' })),
    address: nullable(Localized),
    phone: nullable(Phone),
    email: nullable(Email),
    website: Url,
    /** Where the current policy is published, when the policy names it (B-1.2). */
    policyUrl: nullable(Url),
    /** The person responsible for organising PD processing; null: the operator's contacts serve. */
    dpo: nullable(
      Type.Object(
        { title: Localized, email: nullable(Email), phone: nullable(Phone) },
        { additionalProperties: false },
      ),
    ),
    clauses: Type.Array(ClauseId, { uniqueItems: true }),
  },
  { additionalProperties: false },
)

const Complaints = Type.Object(
  {
    /** The authorised body for PD protection (law-kz.md: keep its name in configuration). */
    authorisedBody: Type.Object({ name: Localized, website: nullable(Url) }, { additionalProperties: false }),
    court: Localized,
    clauses: Type.Array(ClauseId, { uniqueItems: true }),
  },
  { additionalProperties: false },
)

const ProfilePurpose = Type.Object(
  {
    id: Type.Enum(PURPOSE_IDS),
    /** `essential`: needed to provide the service; `consent`: only with the subject's separate consent. */
    basis: Type.Enum(['essential', 'consent']),
    /** For `consent` purposes: whether the purpose starts on for a new subject. */
    default: Type.Optional(Type.Boolean()),
    categories: Type.Array(Category, { minItems: 1, uniqueItems: true }),
    clauses: Clauses,
  },
  { additionalProperties: false },
)

const RegistrationField = Type.Object(
  { field: Type.Enum(FIELD_NAMES), required: Type.Boolean(), clauses: Clauses },
  { additionalProperties: false },
)

const Retention = Type.Object(
  {
    /** `last_activity`: counted from the subject's last activity (T-4.5); `agreement_end`: from the end of the agreement (B-2.4). */
    from: Type.Enum(['last_activity', 'agreement_end']),
    years: Type.Integer({ minimum: 1, maximum: 75 }),
    clauses: Clauses,
  },
  { additionalProperties: false },
)

const Notice = Type.Object(
  {
    /** `by_use`: using the site is acceptance (T-1.2); `click_or_continued_use`: a click, or use after N days (B-1.2). */
    acceptance: Type.Enum(['by_use', 'click_or_continued_use']),
    /** Minimum calendar days between publication and the effective date (T-6.4: 10). */
    noticeDays: Type.Integer({ minimum: 0, maximum: 365 }),
    /** Calendar days after publication after which continued use is acceptance (B-1.2: 7); null for `by_use`. */
    impliedAfterDays: nullable(Type.Integer({ minimum: 1, maximum: 365 })),
    publishedOn: Type.Array(Type.Enum(['site', 'mass_media']), { minItems: 1, uniqueItems: true }),
    clauses: Clauses,
  },
  { additionalProperties: false },
)

const Recipient = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z][a-z_]{1,39}$' }),
    kind: Type.Enum(['authority', 'affiliate', 'partner', 'processor']),
    /** `law`: only where the law requires it; `consent`: with the subject's consent. */
    basis: Type.Enum(['law', 'consent']),
    countries: Type.Array(Country, { minItems: 1, uniqueItems: true }),
    /** What the recipient may receive; omitted for `law`: only what the requiring law names. */
    categories: Type.Optional(Type.Array(Category, { minItems: 1, uniqueItems: true })),
    /** Recipients receive pseudonymous identifiers and derived values only (B-4.2). */
    pseudonymousOnly: Type.Boolean(),
    clauses: Clauses,
  },
  { additionalProperties: false },
)

const Recipients = Type.Object(
  {
    /** `law_only`: no third party except where the law requires (T-4.3); `with_consent`: also with consent (B-4.2). */
    thirdParties: Type.Enum(['law_only', 'with_consent']),
    list: Type.Array(Recipient, { uniqueItems: true }),
    /** Categories never given to any third party (B-4.3: correspondence). */
    neverTransferred: Type.Array(Category, { uniqueItems: true }),
    clauses: Clauses,
  },
  { additionalProperties: false },
)

const Withdrawal = Type.Object(
  {
    how: Type.Enum(['written_notice', 'written_application']),
    anyTime: Type.Boolean(),
    /** What a withdrawal does to the relationship (T-5.1.3: processing stops; B-2.5: agreement suspended or ended). */
    effect: Type.Enum(['stop_processing', 'suspend_or_end_agreement']),
    clauses: Clauses,
  },
  { additionalProperties: false },
)

const ConsentRecordFacts = Type.Object(
  {
    /** Item 3 of law Art. 8(4): the term of validity, in words the subject reads. */
    validity: Localized,
    /** Item 4: whether PD are passed to third parties. */
    thirdPartyTransfer: Type.Boolean(),
    /** Item 5: whether PD cross the border. */
    crossBorderTransfer: Type.Boolean(),
    /** Item 6: whether PD are published in public sources. */
    publicSources: Type.Boolean(),
    clauses: Clauses,
  },
  { additionalProperties: false },
)

export const ProfileSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }),
    operator: Operator,
    complaints: Complaints,
    /** Law Art. 12(2): PD are stored in a database in Kazakhstan. */
    dataResidency: Type.Literal('KZ'),
    purposes: Type.Array(ProfilePurpose, { minItems: 1 }),
    registration: Type.Array(RegistrationField, { minItems: 1 }),
    retention: Retention,
    notice: Notice,
    recipients: Recipients,
    withdrawal: Withdrawal,
    consentRecord: ConsentRecordFacts,
  },
  { additionalProperties: false },
)

export type ProfileData = Static<typeof ProfileSchema>
export type LocalizedText = Static<typeof Localized>
export type ProfilePurpose = Static<typeof ProfilePurpose>
export type ProfileRecipient = Static<typeof Recipient>

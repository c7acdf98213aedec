/**
 * The vocabulary of the data map: personal-data categories, purposes,
 * sources and erasure methods. Categories follow the seed policies
 * (T-2.1, B-2.2) and the law's restricted class (IIN, payment data).
 */

export const PD_CATEGORIES = {
  identity: 'Names and user names (T-2.1.1, B-2.2)',
  contact: 'Phone number and e-mail address (T-2.1.2, T-2.1.3, B-2.2)',
  government_id: 'Individual identification number — restricted (T-2.1.4)',
  payment: 'Payment details: provider token, masked card number, brand — restricted (T-2.1.5)',
  demographic: 'Gender and date of birth (B-2.2)',
  media: 'Avatar and other pictures the user posted (B-2.2)',
  credentials: 'Password hashes, session and verification tokens (hashed)',
  learning: 'Enrolments, progress, quiz answers, achievements, certificates (T-3.1.1, T-4.5.2)',
  behaviour: 'Search-query history and usage events (B-2.2, T-3.1.5)',
  technical: 'IP address, browser and operating system, login dates and times, cookies (B-2.2)',
  location: 'Geolocation (B-2.2)',
  consent: 'Consent and policy-acceptance records (law Art. 8(4))',
  correspondence: "The user's messages and requests; never given to third parties (B-4.3)",
  security: 'Audit trail and access records about a person (law: logging of actions on PD)',
} as const

export type PdCategory = keyof typeof PD_CATEGORIES
export type Classification = PdCategory | 'not_personal'

/** Restricted-access PD under the law: encrypted at rest, masked by default. */
export const RESTRICTED_CATEGORIES: readonly PdCategory[] = ['government_id', 'payment']

export const PURPOSES = {
  service: 'Run the service and provide distance learning (T-3.1.1, B-2.1)',
  identification: 'Identify the user within the services (T-3.1.2)',
  payments: 'Take payments and carry out other operations (T-3.1.3)',
  marketing: 'Inform about new courses, promotions and offers (T-3.1.4, B-2.1)',
  analytics: 'Improve service quality and functionality (T-3.1.5, B-2.1)',
  personalisation: 'Personalised services and targeting (B-2.1, B-4.2)',
  contests: 'Let users take part in contests (B-2.1)',
  partner_transfer: 'Give derived values and pseudonymous ids to affiliates and partners (B-4.2)',
  cross_border: 'Transfer to affiliates and partners abroad (B-4.2, law Art. 16)',
  search_history: 'Keep the history of search queries (B-2.2)',
  geolocation: 'Use the geolocation of the device (B-2.2)',
  security: 'Protect PD and the service; keep the audit trail (T-4.4, B-3.2)',
  legal_obligation: "Exercise the operator's legal rights and duties (B-2.1, law)",
} as const

export type Purpose = keyof typeof PURPOSES

export const SOURCES = {
  user: 'Given by the user',
  operator: 'Created by the operator or the platform',
  derived: 'Derived automatically from other data',
  public_source: 'Taken from a public source (B-2.3)',
  partner: 'Received from a partner under contract (B-2.3)',
} as const

export type Source = keyof typeof SOURCES

export const ERASURE = {
  delete: 'Row deleted',
  nullify: 'Value set to null',
  crypto_shred: "Unreadable once the subject's data key is destroyed",
  pseudonymise: 'Link to the person replaced by a random identifier',
  retain: 'Kept: needed for a legal duty; the reason is recorded',
  not_applicable: 'Holds no personal data',
} as const

export type Erasure = keyof typeof ERASURE

export type ExportRule = 'include' | 'exclude'

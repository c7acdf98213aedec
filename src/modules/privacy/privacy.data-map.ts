/**
 * Data map of the privacy module. Policy versions and texts hold no personal
 * data. Each consent record is personal data of category `consent`: it is
 * the evidence that processing had the subject's consent (law Art. 8(4)), so
 * it is kept, append-only, after the account is erased — by then its ids
 * link to nothing. The decider's IP address and browser are technical data,
 * encrypted under the subject's data key and erased with it.
 */
import { defineDataMap, notPersonal, type PersonalColumn } from '../../platform/data-map/data-map'

const KEPT =
  'Kept as the evidence of consent the law requires (Art. 8(4)); the ledger is append-only, and after erasure the ids link to nothing'

const decision = (note: string, source: PersonalColumn['source'] = 'user'): PersonalColumn => ({
  category: 'consent',
  purposes: ['legal_obligation'],
  source,
  export: 'include',
  erase: 'retain',
  note: `${note}. ${KEPT}`,
})

const network = (note: string): PersonalColumn => ({
  category: 'technical',
  purposes: ['legal_obligation', 'security'],
  source: 'derived',
  export: 'include',
  erase: 'crypto_shred',
  encrypted: true,
  note: `${note}, AES-256-GCM under the subject's data key: erased with it, while the decision itself is kept`,
})

const notice = (note: string): PersonalColumn => ({
  category: 'consent',
  purposes: ['legal_obligation', 'service'],
  source: 'operator',
  export: 'include',
  erase: 'delete',
  note: `${note}. Evidence that the person was told of a policy change (T-6.4, B-1.2)`,
})

const closure = (note: string): PersonalColumn => ({
  category: 'consent',
  purposes: ['legal_obligation'],
  source: 'operator',
  export: 'include',
  erase: 'retain',
  note: `${note}. The hand-over to retention (T-1.2, T-4.5, B-2.4): the purge reads it; ids and dates only`,
})

const complaint = (note: string, source: PersonalColumn['source'] = 'user'): PersonalColumn => ({
  category: 'correspondence',
  purposes: ['legal_obligation'],
  source,
  export: 'include',
  erase: 'delete',
  note,
})

export const privacyDataMap = defineDataMap({
  module: 'privacy',
  tables: {
    policy_versions: {
      description: "Versions of the operator's privacy policy; a published version never changes (T-6.1, T-6.2)",
      columns: {
        id: notPersonal('Random version id (UUID)'),
        profile: notPersonal('Operator profile id'),
        number: notPersonal('Version number within the profile'),
        status: notPersonal('draft or published'),
        published_at: notPersonal('When the version was published'),
        effective_at: notPersonal('From when the version governs (T-6.4, B-1.2)'),
        created_at: notPersonal('When the draft was created'),
      },
    },
    policy_texts: {
      description: 'The text of each policy version in kk, ru and en (Markdown), with its SHA-256',
      columns: {
        version_id: notPersonal('The version'),
        locale: notPersonal('kk, ru or en'),
        markdown: notPersonal('The policy text as the operator published it; describes processing, names no subject'),
        sha256: notPersonal('Hex SHA-256 of the Markdown, recomputed by a CHECK'),
      },
    },
    consent_records: {
      description:
        'The consent ledger: one append-only row per decision (policy acceptance; later per-purpose consent)',
      subjectColumn: 'subject_id',
      columns: {
        id: decision('Random record id (UUID), also in the receipt URL', 'operator'),
        subject_id: decision('Id of the person whose data the decision concerns', 'operator'),
        given_by: decision('Id of who decided: the subject, or their legal representative for a minor (law Arts. 7–9)'),
        kind: decision('policy_acceptance, purpose_granted or purpose_withdrawn'),
        purpose: decision('The purpose granted or withdrawn; null for a policy acceptance'),
        policy_version_id: decision('The policy version the decision was made under'),
        locale: decision('The language of the text shown'),
        text_sha256: decision('SHA-256 of exactly the text shown (T-1.2)'),
        decided_at: decision('When the decision was made', 'operator'),
        channel: decision('How it was given: web_registration, web, api, implied_by_use, staff', 'operator'),
        ip_ciphertext: network("The decider's IP address"),
        user_agent_ciphertext: network("The decider's browser and operating system (user agent)"),
        evidence: decision(
          'Small flat facts about how the decision was made (notice shown, dates); never direct identifiers',
          'operator',
        ),
        seq: decision('Insertion order in the ledger (which decision is the newest)', 'operator'),
        signature: decision(
          'HMAC-SHA256 of the record, so its receipt can be checked later (withdrawals, T-5.1.3, B-2.5)',
          'derived',
        ),
      },
    },
    policy_notices: {
      description: 'Notice of each new policy version to each person: the e-mail queued and the banner first shown',
      subjectColumn: 'user_id',
      columns: {
        version_id: notPersonal('The policy version the notice is about'),
        user_id: notice('Id of the person notified'),
        locale: notice('The language the notice was sent in'),
        notification_id: notice('The e-mail in the notifications outbox (its delivery status is kept there)'),
        notified_at: notice('When the e-mail was queued'),
        banner_shown_at: notice('When the in-app banner was first shown: evidence of notice for acceptance by use'),
      },
    },
    policy_notice_runs: {
      description: "Progress of sending a version's notices in batches (DPO desk)",
      columns: {
        version_id: notPersonal('The policy version'),
        started_at: notPersonal('When sending started'),
        last_user_id: notPersonal('The last account id handled: a cursor over ids, about no one in particular'),
        queued: notPersonal('How many notices were queued'),
        finished_at: notPersonal('When every person had a notice'),
      },
    },
    privacy_complaints: {
      description: 'Complaints filed with the DPO from the privacy centre (T-5.1.5)',
      subjectColumn: 'subject_id',
      columns: {
        id: complaint('Random complaint id (UUID)', 'operator'),
        subject_id: complaint('Id of the person complaining', 'operator'),
        created_at: complaint('When it was filed', 'operator'),
        status: complaint('open or closed', 'operator'),
        body_ciphertext: {
          category: 'correspondence',
          purposes: ['legal_obligation'],
          source: 'user',
          export: 'include',
          erase: 'crypto_shred',
          encrypted: true,
          note: "The complaint's text, AES-256-GCM under the complainant's data key",
        },
        closed_at: complaint('When the DPO closed it', 'operator'),
      },
    },
    account_closures: {
      description:
        'Closed accounts handed over to retention: when closed, the signed ledger record, and when the retention rule lets the data go',
      subjectColumn: 'subject_id',
      columns: {
        subject_id: closure('Id of the person whose account was closed'),
        closed_at: closure('When the person closed the account'),
        consent_id: closure('The signed withdrawal record (effect close_account) that evidences the closure'),
        retention_from: closure(
          "The profile's retention rule at closure: last_activity (T-4.5) or agreement_end (B-2.4)",
        ),
        retention_years: closure('How many years the rule keeps the data'),
        retention_until: closure('The Almaty date from which the retention rule no longer keeps the data (T-4.5.5)'),
      },
    },
  },
})

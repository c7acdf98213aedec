/**
 * Data map of accounts. The e-mail address is encrypted under the person's
 * own data key (erased by destroying it) and found through a keyed blind
 * index (nulled at erasure); the phone number likewise. Sessions are the
 * login history of B-2.2 (IP encrypted, browser/OS summarised) and are
 * deleted LOGIN_HISTORY_DAYS after they end. A closed account keeps only its random id,
 * status and dates, so the audit log and consent records, which the law
 * makes us keep, still point at one account that reveals nothing more.
 */
import { defineDataMap, notPersonal, type PersonalColumn } from '../../platform/data-map/data-map'
import { LOGIN_HISTORY_DAYS } from './sessions.service'

/** A fact of a guardian link: who consented for a minor is evidence the law makes us keep with the consent record. */
const linkFact = (note: string, extra: Partial<PersonalColumn> = {}): PersonalColumn => ({
  category: 'consent',
  purposes: ['service', 'legal_obligation'],
  source: 'operator',
  export: 'include',
  erase: 'retain',
  note: `${note}. Kept with the consent record it proves (law Art. 8(4))`,
  ...extra,
})

const TOMBSTONE = 'Kept on a closed account with its random id, which then links to nothing else'

const accountFact = (
  category: 'security' | 'technical',
  note: string,
  erase: PersonalColumn['erase'] = 'retain',
): PersonalColumn => ({
  category,
  purposes: ['service', 'security'],
  source: 'operator',
  export: 'include',
  erase,
  note,
})

const roleFact = (note: string, exported: 'include' | 'exclude' = 'include'): PersonalColumn => ({
  category: 'security',
  purposes: ['service', 'security'],
  source: 'operator',
  export: exported,
  erase: 'delete',
  note: `${note}. Deleted with the account's roles when it is closed`,
})

/** A registration field: given by the person, encrypted under their data key, gone when the key is destroyed. */
const profileField = (
  category: 'identity' | 'government_id' | 'demographic',
  what: string,
  field: string,
): PersonalColumn => ({
  category,
  purposes: ['service', 'identification'],
  source: 'user',
  export: 'include',
  erase: 'crypto_shred',
  encrypted: true,
  note: `${what}; AES-256-GCM under the person's data key (field ${field}). Asked only when the operator profile's purposes need it (T-3.2)`,
})

const tokenFact = (note: string): PersonalColumn => ({
  category: 'credentials',
  purposes: ['identification', 'security'],
  source: 'operator',
  export: 'exclude',
  erase: 'delete',
  note: `${note}. Deleted with the person's tokens a day after they expire, or at erasure`,
})

const sessionFact = (note: string, category: 'technical' | 'security' = 'technical'): PersonalColumn => ({
  category,
  purposes: ['service', 'security'],
  source: 'operator',
  export: 'include',
  erase: 'delete',
  note: `${note}. Deleted with the session ${SESSION_LIFE}`,
})

const SESSION_LIFE = `${LOGIN_HISTORY_DAYS} days after it ended, or at erasure`

const throttleFact = (note: string): PersonalColumn => ({
  category: 'security',
  purposes: ['security'],
  source: 'derived',
  export: 'exclude',
  erase: 'delete',
  note: `${note}. Deleted by the purge job a day after the last failure`,
})

const factorFact = (note: string, exported: 'include' | 'exclude' = 'include'): PersonalColumn => ({
  category: 'credentials',
  purposes: ['security'],
  source: 'operator',
  export: exported,
  erase: 'delete',
  note: `${note}. Deleted with the account's factor at erasure`,
})

/** A pending new e-mail address or phone number (T-5.2.2): in force only once verified, dropped when it expires. */
const pendingFact = (what: string, category: 'contact' | 'security', extra: Partial<PersonalColumn> = {}) =>
  ({
    category,
    purposes: ['service', 'identification'],
    source: 'user',
    export: 'include',
    erase: 'nullify',
    note: `${what}. Nulled when verified (it then replaces the current value), when it expires unverified (purge job) or at erasure`,
    ...extra,
  }) satisfies PersonalColumn

const requestFact = (note: string, extra: Partial<PersonalColumn> = {}): PersonalColumn => ({
  category: 'correspondence',
  purposes: ['legal_obligation'],
  source: 'user',
  export: 'include',
  erase: 'delete',
  note: `${note}. A request to correct one's data (T-5.2.2), kept as a record of the rights request; deleted with the account's requests at erasure`,
  ...extra,
})

const avatarFact = (note: string): PersonalColumn => ({
  category: 'media',
  purposes: ['service'],
  source: 'user',
  export: 'include',
  erase: 'delete',
  note: `${note}. Deleted when the person removes the picture, or at erasure`,
})

export const accountsDataMap = defineDataMap({
  module: 'accounts',
  tables: {
    users: {
      description:
        'Accounts: one row per person who can sign in, with their e-mail address (encrypted) and password hash',
      subjectColumn: 'id',
      columns: {
        id: {
          category: 'identity',
          purposes: ['service', 'identification'],
          source: 'operator',
          export: 'include',
          erase: 'retain',
          note: `Random account id (UUID), also the subject id of the person's data key. ${TOMBSTONE}`,
        },
        email_ciphertext: {
          category: 'contact',
          purposes: ['service', 'identification'],
          source: 'user',
          export: 'include',
          erase: 'crypto_shred',
          encrypted: true,
          note: "Normalised e-mail address, AES-256-GCM under the person's data key (field accounts.email)",
        },
        email_index: {
          category: 'contact',
          purposes: ['identification'],
          source: 'derived',
          export: 'exclude',
          erase: 'nullify',
          note: 'HMAC-SHA256 blind index of the normalised address (purpose accounts.email): finds an account and keeps addresses unique without decrypting. Nulled at erasure so the address no longer matches',
        },
        password_hash: {
          category: 'credentials',
          purposes: ['identification', 'security'],
          source: 'user',
          export: 'exclude',
          erase: 'nullify',
          note: 'argon2id hash of the password the person chose; the password itself is never stored',
        },
        status: accountFact('security', `active, blocked or closed. ${TOMBSTONE}`),
        created_at: accountFact('technical', `When the account was created. ${TOMBSTONE}`),
        updated_at: accountFact('technical', `When the account row last changed. ${TOMBSTONE}`),
        last_active_at: accountFact('technical', 'When the person was last active (B-2.2 login dates)', 'nullify'),
        phone_ciphertext: {
          category: 'contact',
          purposes: ['service', 'identification'],
          source: 'user',
          export: 'include',
          erase: 'crypto_shred',
          encrypted: true,
          note: "Kazakh mobile number in E.164, AES-256-GCM under the person's data key (field accounts.phone); a sign-in identifier",
        },
        phone_index: {
          category: 'contact',
          purposes: ['identification'],
          source: 'derived',
          export: 'exclude',
          erase: 'nullify',
          note: 'HMAC-SHA256 blind index of the E.164 number (purpose accounts.phone): finds the account at sign-in and keeps numbers unique. Nulled at erasure',
        },
        surname_ciphertext: profileField('identity', 'Surname (T-2.1.1)', 'accounts.surname'),
        given_name_ciphertext: profileField('identity', 'Given name (T-2.1.1)', 'accounts.given_name'),
        patronymic_ciphertext: profileField('identity', 'Patronymic, optional (T-2.1.1)', 'accounts.patronymic'),
        user_name_ciphertext: profileField('identity', 'User name (B-2.2)', 'accounts.user_name'),
        iin_ciphertext: profileField(
          'government_id',
          'IIN (T-2.1.4), restricted: checksum-validated, shown masked, never logged',
          'accounts.iin',
        ),
        iin_index: {
          category: 'government_id',
          purposes: ['identification'],
          source: 'derived',
          export: 'exclude',
          erase: 'nullify',
          encrypted: true,
          note: 'HMAC-SHA256 blind index of the IIN (purpose accounts.iin): keeps one IIN to one account without decrypting. Keyed, so not reversible without the key; nulled at erasure',
        },
        gender_ciphertext: profileField('demographic', 'Gender, optional (B-2.2)', 'accounts.gender'),
        birth_date_ciphertext: profileField('demographic', 'Date of birth, optional (B-2.2)', 'accounts.birth_date'),
        email_verified_at: accountFact(
          'security',
          'When the person proved they receive mail at the address',
          'nullify',
        ),
        phone_verified_at: accountFact('security', 'When the person proved they receive SMS at the number', 'nullify'),
        pending_email_ciphertext: pendingFact(
          "New e-mail address waiting for its link, AES-256-GCM under the person's data key (field accounts.email)",
          'contact',
          { erase: 'crypto_shred', encrypted: true },
        ),
        pending_email_index: pendingFact(
          'Blind index of the new address (purpose accounts.email): checks it is free and matches the link',
          'contact',
          { source: 'derived', export: 'exclude' },
        ),
        pending_email_expires_at: pendingFact('When the unverified new address is dropped', 'security', {
          source: 'operator',
        }),
        pending_phone_ciphertext: pendingFact(
          "New phone number waiting for its SMS code, AES-256-GCM under the person's data key (field accounts.phone)",
          'contact',
          { erase: 'crypto_shred', encrypted: true },
        ),
        pending_phone_index: pendingFact(
          'Blind index of the new number (purpose accounts.phone): checks it is free and matches the code',
          'contact',
          { source: 'derived', export: 'exclude' },
        ),
        pending_phone_expires_at: pendingFact('When the unverified new number is dropped', 'security', {
          source: 'operator',
        }),
        adult_on: {
          category: 'demographic',
          purposes: ['service', 'legal_obligation'],
          source: 'derived',
          export: 'include',
          erase: 'nullify',
          note: "The date a minor turns 18 (Almaty calendar), derived from the entered birth date or the IIN hint the person confirmed; decides whether a guardian's consent is needed (law Arts. 7–8). Null for adults; cleared when the adult consents personally",
        },
        guardian_state: {
          category: 'consent',
          purposes: ['service', 'legal_obligation'],
          source: 'operator',
          export: 'include',
          erase: 'nullify',
          note: 'awaiting_guardian until a parent or guardian consents for the minor, then guardian_consented; null for adults',
        },
        adult_consent_asked_at: {
          category: 'consent',
          purposes: ['service', 'legal_obligation'],
          source: 'operator',
          export: 'include',
          erase: 'nullify',
          note: 'When the former minor was e-mailed on their 18th birthday (Almaty) to give their own consent; set once, so the message goes once per person (law Arts. 7–8)',
        },
      },
    },
    totp_factors: {
      description:
        'Second factor of staff accounts (support, dpo, admin): the TOTP secret (encrypted) of their authenticator app',
      subjectColumn: 'user_id',
      columns: {
        user_id: factorFact('Id of the staff account'),
        secret_ciphertext: {
          ...factorFact(
            "TOTP secret (RFC 6238), AES-256-GCM under the person's data key (field accounts.totp_secret); never shown again after enrolment",
            'exclude',
          ),
          encrypted: true,
          erase: 'crypto_shred',
        },
        created_at: factorFact('When enrolment started'),
        confirmed_at: factorFact('When the person confirmed the authenticator with a first code'),
        last_used_step: factorFact(
          'The newest 30-second step a code was accepted for, so a code cannot be used twice',
          'exclude',
        ),
      },
    },
    recovery_codes: {
      description: 'Single-use recovery codes of the second factor (keyed hashes only)',
      subjectColumn: 'user_id',
      columns: {
        id: factorFact('Random id of the code', 'exclude'),
        user_id: factorFact('Id of the staff account'),
        code_hash: factorFact(
          'HMAC-SHA256 of the code (purpose accounts.recovery_code); the code itself was shown once to the person',
          'exclude',
        ),
        created_at: factorFact('When the codes were issued'),
        used_at: factorFact('When the code was used (each works once)'),
      },
    },
    data_change_requests: {
      description:
        "Requests to the DPO to correct what a person may not edit themselves: the IIN and legal names (T-5.2.2); the requested value encrypted under the person's key",
      subjectColumn: 'user_id',
      columns: {
        id: requestFact('Random id of the request'),
        user_id: requestFact('Id of the account whose data is to be corrected'),
        field: requestFact('Which field: surname, givenName, patronymic or iin'),
        value_ciphertext: requestFact(
          "The requested value, AES-256-GCM under the person's data key (field accounts.change_request_value)",
          { category: 'government_id', encrypted: true, erase: 'crypto_shred' },
        ),
        reason_ciphertext: requestFact(
          "The person's reason, AES-256-GCM under their data key (field accounts.change_request_reason)",
          { encrypted: true, erase: 'crypto_shred' },
        ),
        status: requestFact('open, approved or rejected'),
        created_at: requestFact('When the request was filed'),
        decided_at: requestFact('When the DPO decided'),
        decided_by: requestFact('Id of the DPO who decided', { source: 'operator' }),
        note_ciphertext: requestFact(
          "The DPO's note to the person, AES-256-GCM under the person's data key (field accounts.change_request_note)",
          { source: 'operator', encrypted: true, erase: 'crypto_shred' },
        ),
      },
    },
    guardian_links: {
      description:
        "A minor's invitation of a parent or guardian (the e-mail address is sent to, never stored) and the link between the two accounts, with the consent the guardian gave for the child (law Arts. 7–8)",
      subjectColumn: 'child_id',
      columns: {
        id: linkFact('Random id of the invitation and link'),
        child_id: linkFact('Id of the minor'),
        guardian_id: linkFact('Id of the parent or guardian who opened the invitation', { source: 'user' }),
        status: linkFact('invited, linked, consented, revoked or expired'),
        token_hash: {
          category: 'credentials',
          purposes: ['security'],
          source: 'operator',
          export: 'exclude',
          erase: 'nullify',
          note: "HMAC of the invitation link's secret (purpose accounts.one_time_secret); nulled once used, replaced or ended",
        },
        token_expires_at: linkFact('When the invitation link stops working (48 hours)'),
        invited_at: linkFact('When the minor sent the invitation'),
        linked_at: linkFact('When the guardian linked'),
        consented_at: linkFact('When the guardian consented for the child'),
        consent_id: linkFact('The consent record (subject = child, givenBy = guardian) in the privacy ledger'),
        ended_at: linkFact('When the link was revoked or the invitation expired'),
      },
    },
    user_avatars: {
      description:
        "Avatars (B-2.2, BTS profile): re-encoded to WebP at most 256×256 with every metadata block (EXIF, GPS, ICC) dropped, encrypted under the person's key",
      subjectColumn: 'user_id',
      columns: {
        user_id: avatarFact('Id of the account'),
        image_ciphertext: {
          ...avatarFact(
            "The re-encoded picture (WebP, base64), AES-256-GCM under the person's data key (field accounts.avatar)",
          ),
          encrypted: true,
          erase: 'crypto_shred',
        },
        content_type: avatarFact('Always image/webp (what the picture was re-encoded to)'),
        width: avatarFact('Width in pixels after re-encoding'),
        height: avatarFact('Height in pixels after re-encoding'),
        updated_at: avatarFact('When the picture was uploaded'),
      },
    },
    user_roles: {
      description: 'Roles granted to each account (learner, guardian, instructor, support, dpo, admin)',
      subjectColumn: 'user_id',
      columns: {
        user_id: roleFact('Id of the account holding the role'),
        role: roleFact('The role, which decides what the person may see and do'),
        granted_at: roleFact('When the role was granted'),
        granted_by: roleFact('Id of the staff member or system that granted it; not given to the subject', 'exclude'),
      },
    },
    sessions: {
      description:
        'Sign-in sessions and the login history of B-2.2: when, from which browser/OS and (encrypted) IP each sign-in happened',
      subjectColumn: 'user_id',
      columns: {
        id: sessionFact('Random session id (UUID); names the session on the sessions page and in the audit log'),
        user_id: sessionFact('Id of the account signed in'),
        token_hash: {
          category: 'credentials',
          purposes: ['security'],
          source: 'derived',
          export: 'exclude',
          erase: 'delete',
          note: 'SHA-256 of the random session token; the token itself is only in the cookie, so this signs nobody in',
        },
        kind: sessionFact('standard or staff: which idle and absolute lifetimes apply'),
        created_at: sessionFact('When the person signed in (B-2.2 login date and time)'),
        last_seen_at: sessionFact('When the session was last used (updated at most once a minute)'),
        idle_expires_at: sessionFact('When the session ends if unused'),
        absolute_expires_at: sessionFact('When the session ends at the latest'),
        revoked_at: sessionFact('When the session was ended by signing out or revoking'),
        revoked_reason: sessionFact(
          'How it ended: signed_out, revoked, revoked_others, replaced, password_reset or second_factor_reset',
        ),
        ip_ciphertext: {
          category: 'technical',
          purposes: ['security'],
          source: 'operator',
          export: 'include',
          erase: 'delete',
          encrypted: true,
          note: `IP address of the sign-in (B-2.2), AES-256-GCM under the person's data key (field accounts.session_ip); shown to them masked. Deleted with the session ${SESSION_LIFE}`,
        },
        browser: sessionFact(
          'Browser and major version parsed from the User-Agent (B-2.2); the raw header is not kept',
        ),
        os: sessionFact('Operating system and major version parsed from the User-Agent (B-2.2)'),
        device: sessionFact('desktop, mobile, tablet or unknown, parsed from the User-Agent'),
        second_factor_at: sessionFact(
          'When a staff session passed its second factor; null while half signed in',
          'security',
        ),
      },
    },
    account_tokens: {
      description:
        'One-time secrets: e-mail verification links, phone verification codes, password-reset links (keyed hashes only)',
      subjectColumn: 'user_id',
      columns: {
        id: tokenFact('Random id of the one-time secret'),
        user_id: tokenFact('Id of the account the secret belongs to'),
        purpose: tokenFact('email_verification, phone_verification or password_reset'),
        secret_hash: tokenFact(
          'HMAC-SHA256 of the secret (purpose accounts.one_time_secret); the link or code itself went only to the person',
        ),
        target_index: tokenFact(
          'Blind index of the address or number being verified, so a changed one cannot be verified with an old secret',
        ),
        created_at: tokenFact('When the secret was sent'),
        expires_at: tokenFact('When it stops working'),
        used_at: tokenFact('When it was used (each works once)'),
        attempts: tokenFact('Wrong codes entered against it (a code dies after 5)'),
      },
    },
    login_throttles: {
      description:
        'Failed sign-in counters per identifier and per IP (lockout). Keyed by HMAC, never by the address, number or IP; not linked to an account id',
      columns: {
        scope: notPersonal('identifier or ip: what the counter is keyed by'),
        key_hash: throttleFact(
          'HMAC-SHA256 (purpose accounts.login_throttle) of the normalised e-mail/phone or of the IP; pseudonymous: the operator can match it only by recomputing it from a known value',
        ),
        failures: throttleFact('Failed attempts in the current window'),
        window_started_at: throttleFact('Start of the counting window'),
        locked_until: throttleFact('Until when sign-in with this identifier or from this IP is locked'),
        updated_at: throttleFact('Time of the last failure'),
      },
    },
  },
})

/**
 * Data map of accounts. The e-mail address is encrypted under the person's
 * own data key (erased by destroying it) and found through a keyed blind
 * index (nulled at erasure). A closed account keeps only its random id,
 * status and dates, so the audit log and consent records, which the law
 * makes us keep, still point at one account that reveals nothing more.
 */
import { defineDataMap, type PersonalColumn } from '../../platform/data-map/data-map'

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
  },
})

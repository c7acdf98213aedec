/**
 * Data map of the audit log. Entries name people only by id (the payload
 * guard refuses e-mails, phones, IINs and names); they are retained because
 * logging actions on personal data is a legal duty, and a hash-chained log
 * cannot be edited. Once an account is erased, its id links to nothing.
 */
import { defineDataMap, notPersonal, type PersonalColumn } from '../data-map/data-map'

const RETAINED = 'Kept: the law requires logging actions on personal data; the chain forbids edits'

const personId = (note: string, exported: 'include' | 'exclude'): PersonalColumn => ({
  category: 'security',
  purposes: ['security', 'legal_obligation'],
  source: 'operator',
  export: exported,
  erase: 'retain',
  note: `${note}. ${RETAINED}`,
})

export const auditDataMap = defineDataMap({
  module: 'platform/audit',
  tables: {
    audit_log: {
      description: 'Append-only, hash-chained record of actions on personal data and other important events',
      subjectColumn: 'subject_id',
      columns: {
        id: notPersonal('Entry number (insertion order, not chain order)'),
        occurred_at: notPersonal('When the action happened (from the request clock)'),
        action: notPersonal('Dotted past-tense action, e.g. consent.withdrawn'),
        actor_kind: notPersonal('user, system or anonymous'),
        actor_id: personId('Id of the person (or system) who acted; staff ids are not exported to subjects', 'exclude'),
        subject_type: notPersonal('Kind of subject the entry concerns'),
        subject_id: personId('Id of the person whose data the action concerned', 'include'),
        target_type: notPersonal('Kind of record acted on'),
        target_id: personId('Id of the record acted on (may belong to a person)', 'include'),
        request_id: notPersonal('Random request correlation id'),
        ip: {
          category: 'technical',
          purposes: ['security', 'legal_obligation'],
          source: 'derived',
          export: 'exclude',
          erase: 'retain',
          note: `IP address of the request that caused the entry (the actor's, not necessarily the subject's). ${RETAINED}`,
        },
        data: personId('Small flat facts about the action: ids, codes, counts; never direct identifiers', 'include'),
        seq: notPersonal('Position in the hash chain, set by the sealer'),
        prev_hash: notPersonal('Hash of the previous entry in the chain'),
        hash: notPersonal('SHA-256 over the entry, prev_hash and seq'),
        sealed_at: notPersonal('When the sealer linked the entry into the chain'),
      },
    },
    audit_chain_head: {
      description: 'The last sealed seq and hash, so that a removed tail of the chain is detected',
      columns: {
        id: notPersonal('Always true: a single row'),
        last_seq: notPersonal('Last sealed seq'),
        last_hash: notPersonal('Hash of the last sealed entry'),
        updated_at: notPersonal('When the sealer last moved the head'),
      },
    },
  },
})

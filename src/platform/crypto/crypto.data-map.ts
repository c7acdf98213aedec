/**
 * Data map of field encryption. A subject's data key is what makes their
 * encrypted values readable; destroying it is how those values are erased.
 */
import { defineDataMap, notPersonal } from '../data-map/data-map'

export const cryptoDataMap = defineDataMap({
  module: 'platform/crypto',
  tables: {
    subject_keys: {
      description: "Per-subject data keys (wrapped under a master key) that encrypt the subject's restricted fields",
      subjectColumn: 'subject_id',
      columns: {
        subject_id: {
          category: 'security',
          purposes: ['security'],
          source: 'operator',
          export: 'exclude',
          erase: 'retain',
          note: 'Id of the person the key belongs to. Kept as a tombstone after shredding so no new key is made for an erased subject',
        },
        version: notPersonal('Data-key version named in each ciphertext'),
        wrapped_key: {
          category: 'credentials',
          purposes: ['security'],
          source: 'operator',
          export: 'exclude',
          erase: 'nullify',
          note: "The subject's data key, encrypted under a master key; set to null to crypto-shred all their encrypted values",
        },
        kek_id: notPersonal('Id of the master key that wraps the data key'),
        created_at: notPersonal('When the data key was created'),
        rewrapped_at: notPersonal('When key rotation last re-wrapped the data key'),
        destroyed_at: notPersonal('When the data key was destroyed (crypto-shredding)'),
      },
    },
  },
})

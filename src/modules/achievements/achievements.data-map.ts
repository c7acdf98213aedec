/**
 * Data map of achievements. Certificates and badges are personal data of
 * the learner, category `learning`, purpose `service` (T-4.5.2: documents
 * confirming completion, kept while retention keeps the account), created
 * by the operator. The name as issued and the revocation reason are
 * ciphertext under the learner's data key: erasing the person shreds them,
 * while the code, course, hours and dates stay so the public check can say
 * "issued, holder's data erased" instead of "no such certificate"
 * (docs/adr/0006). The learner link is cleared when the account row goes.
 */
import { defineDataMap, notPersonal, type PersonalColumn } from '../../platform/data-map/data-map'

const record = (note: string, erase: PersonalColumn['erase'] = 'retain'): PersonalColumn => ({
  category: 'learning',
  purposes: ['service'],
  source: 'operator',
  export: 'include',
  erase,
  note:
    erase === 'retain'
      ? `${note}. Kept after erasure: once the name is shredded and the learner link cleared it describes no one`
      : note,
})

export const achievementsDataMap = defineDataMap({
  module: 'achievements',
  tables: {
    certificates: {
      description:
        'Completion certificates (T-4.5.2): one per completed enrolment, a snapshot of what the certificate shows, publicly checkable by its code',
      subjectColumn: 'learner_id',
      columns: {
        id: notPersonal('Random certificate id (UUID), used in audit entries'),
        code: record('Public code OQU-XXXX-XXXX-XXXX printed on the certificate and in its QR code'),
        learner_id: record('Id of the learner the certificate was issued to', 'nullify'),
        course_id: record('The completed course'),
        enrolment_id: record('The completed enrolment (one certificate each)'),
        learner_name_ciphertext: {
          category: 'identity',
          purposes: ['service'],
          source: 'operator',
          export: 'include',
          erase: 'crypto_shred',
          encrypted: true,
          note: "The learner's full name as printed at issue (from the account), AES-256-GCM under the learner's data key; unreadable once it is destroyed, and the public check then says the holder's data was erased",
        },
        languages: notPersonal("The certificate's languages (the course's)"),
        course_titles: notPersonal('Course title per language, as printed'),
        duration_hours: notPersonal('Course hours, as printed'),
        completed_at: record('When the learner completed the course'),
        operator_names: notPersonal("The operator's legal name per language, as printed"),
        issued_at: record('When the certificate was issued'),
        revoked_at: record('When an admin revoked it; shown on the public check'),
        revoked_by: {
          category: 'security',
          purposes: ['security'],
          source: 'operator',
          export: 'exclude',
          erase: 'nullify',
          note: 'Id of the admin who revoked it (the admin is its subject, not the learner); cleared if that account row is deleted',
        },
        revoked_reason_ciphertext: {
          category: 'learning',
          purposes: ['service'],
          source: 'operator',
          export: 'include',
          erase: 'crypto_shred',
          encrypted: true,
          note: "Why it was revoked, staff only and never public, AES-256-GCM under the learner's data key",
        },
      },
    },
    learner_badges: {
      description: 'Milestone badges a learner earned (first lesson, first quiz passed, first course, three courses)',
      subjectColumn: 'learner_id',
      columns: {
        learner_id: record('The learner', 'delete'),
        badge: record('Which badge', 'delete'),
        awarded_at: record('When it was earned', 'delete'),
      },
    },
  },
})

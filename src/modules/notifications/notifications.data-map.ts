/**
 * Data map of notifications. Each row is a message to one person: the
 * address or number it went to and its subject and body are encrypted under
 * that person's data key, so destroying the key erases them; the row itself
 * is deleted at erasure and after the retention period (30 days by default).
 */
import { defineDataMap, notPersonal, type PersonalColumn } from '../../platform/data-map/data-map'

const PURPOSES: PersonalColumn['purposes'] = ['service', 'identification', 'security']
const DELETED = 'Deleted with the message at erasure or after the retention period'

/** A fact about a message sent to a person (which, when, how it went). */
const messageFact = (note: string, exported: 'include' | 'exclude' = 'include'): PersonalColumn => ({
  category: 'correspondence',
  purposes: PURPOSES,
  source: 'operator',
  export: exported,
  erase: 'delete',
  note: `${note}. ${DELETED}`,
})

/** A message text, stored only as ciphertext under the person's data key. */
const encryptedText = (category: 'contact' | 'correspondence', note: string): PersonalColumn => ({
  category,
  purposes: PURPOSES,
  source: category === 'contact' ? 'user' : 'operator',
  export: 'include',
  erase: 'crypto_shred',
  encrypted: true,
  note: `${note}, AES-256-GCM under the person's data key (field notifications.<id>.<column>)`,
})

export const notificationsDataMap = defineDataMap({
  module: 'notifications',
  tables: {
    notifications: {
      description:
        'Outbox of e-mails and SMS sent to people (verification links and codes, password resets), encrypted',
      subjectColumn: 'subject_id',
      columns: {
        id: notPersonal('Random message id (UUID); the job payload and the audit log name messages by it'),
        subject_id: messageFact('Id of the person the message was for, also the subject of the encrypting key'),
        channel: messageFact('email or sms'),
        template: messageFact('Which message it was, e.g. accounts.verify_email'),
        locale: messageFact('Language the message was written in: kk, ru or en'),
        recipient_ciphertext: encryptedText('contact', 'The e-mail address or E.164 phone number it was sent to'),
        subject_ciphertext: encryptedText('correspondence', 'The e-mail subject line (null for SMS)'),
        body_ciphertext: encryptedText(
          'correspondence',
          'The plain-text body, including any verification link or code',
        ),
        status: messageFact('queued, sent, failed or suppressed'),
        provider: messageFact('Where it went: smtp, the SMS provider, or outbox (kept only for the developer page)'),
        provider_message_id: messageFact(
          "The SMTP Message-ID or the SMS provider's id, to trace a delivery with the provider",
          'exclude',
        ),
        attempts: messageFact('Delivery attempts made'),
        created_at: messageFact('When the message was queued'),
        sent_at: messageFact('When the SMTP server or SMS provider accepted it'),
        last_error: messageFact(
          "Error name and code of the last failed attempt; never the server's reply text, addresses and long numbers masked",
          'exclude',
        ),
      },
    },
  },
})

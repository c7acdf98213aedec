/**
 * The notifications service. `send` renders a template in the person's
 * language, stores the message encrypted under their data key and enqueues
 * its delivery, all in the caller's transaction: a message exists, and is
 * sent, only if the work that wanted it committed.
 */
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { inTransaction, type Ctx, type Locale } from '../../platform/context'
import type { FieldCrypto } from '../../platform/crypto/index'
import { createI18n, loadLocaleFiles, type I18n } from '../../platform/i18n/i18n'
import type { JobQueue } from '../../platform/jobs/index'
import { E164 } from '../../platform/sms/index'
import { NotificationsError } from './notifications.errors'
import { DELIVER_NOTIFICATION } from './notifications.jobs'
import { createOutboxReader, messageField, type OutboxMessage, type OutboxReader } from './notifications.outbox'
import { insertNotification } from './notifications.repository'
import type { Channel } from './notifications.tables'
import {
  checkParams,
  renderMessage,
  templateSpec,
  type NotificationTemplate,
  type TemplateParams,
} from './notifications.templates'

export interface SendInput {
  /** The person the message is for (their account id); their data key encrypts it. */
  subjectId: string
  channel: Channel
  /** An e-mail address (normalised by the caller) or an E.164 phone number. */
  to: string
  template: NotificationTemplate
  locale: Locale
  /** Exactly the template's parameters, e.g. `{ link }` or `{ code }`. */
  params: TemplateParams
}

export interface NotificationsDeps {
  crypto: Pick<FieldCrypto, 'encryptField' | 'decryptField'>
  queue: Pick<JobQueue, 'enqueue'>
  /** Messages of the locale files; default: loaded from `locales/`. */
  i18n?: I18n
}

export interface Notifications {
  /** Stores the rendered message encrypted and enqueues its delivery in ctx's transaction; throws NotificationsError. */
  send(ctx: Ctx, input: SendInput): Promise<{ id: string }>
  /** The newest message to `to` (of `template` when given), decrypted: for tests and the developer outbox. */
  latestMessage(ctx: Ctx, query: { to: string; template?: NotificationTemplate }): Promise<OutboxMessage | undefined>
  /** Decrypted reading for the developer outbox page. */
  outbox: OutboxReader
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const EMAIL = /^[^\s@<>()",;:]{1,64}@[^\s@<>()",;:]{1,253}$/u

const LOCALES_DIR = fileURLToPath(new URL('../../../locales', import.meta.url))

function checkInput(input: SendInput): void {
  if (!UUID.test(input.subjectId))
    throw new NotificationsError('notifications.subject_invalid', 'subjectId must be a UUID')
  const valid = input.channel === 'sms' ? E164.test(input.to) : EMAIL.test(input.to) && input.to.length <= 254
  if (!valid) {
    const expected = input.channel === 'sms' ? 'an E.164 phone number' : 'an e-mail address'
    throw new NotificationsError('notifications.recipient_invalid', `The recipient is not ${expected}`)
  }
  checkParams(input.template, templateSpec(input.template, input.channel), input.params)
}

/** Builds the notifications service. */
export function createNotifications(deps: NotificationsDeps): Notifications {
  const { crypto, queue } = deps
  const i18n = deps.i18n ?? createI18n(loadLocaleFiles(LOCALES_DIR))
  const outbox = createOutboxReader(crypto)

  return {
    async send(ctx, input) {
      checkInput(input)
      const rendered = renderMessage(i18n, input.template, input.channel, input.locale, input.params)
      const id = randomUUID()
      return inTransaction(ctx, async (tx) => {
        const encrypt = (column: 'recipient' | 'subject' | 'body', text: string) =>
          crypto.encryptField(tx.db, { subjectId: input.subjectId, field: messageField(id, column) }, text)
        await insertNotification(tx.db, {
          id,
          subject_id: input.subjectId,
          channel: input.channel,
          template: input.template,
          locale: input.locale,
          recipient_ciphertext: await encrypt('recipient', input.to),
          subject_ciphertext: rendered.subject === null ? null : await encrypt('subject', rendered.subject),
          body_ciphertext: await encrypt('body', rendered.text),
          created_at: tx.now,
        })
        await queue.enqueue(tx.db, DELIVER_NOTIFICATION, { notificationId: id })
        return { id }
      })
    },
    latestMessage: (ctx, query) => outbox.latest(ctx, query),
    outbox,
  }
}

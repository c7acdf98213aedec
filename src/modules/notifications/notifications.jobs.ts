/**
 * Jobs of the notifications module. `deliver-notification` opens one stored
 * message and hands it to the SMTP server or the SMS provider (or, when
 * none is configured, leaves it in the developer outbox), records the
 * outcome and retries through the queue's backoff. `purge-old-notifications`
 * deletes messages past their retention period every night.
 */
import type { AuditLog } from '../../platform/audit/index'
import { inTransaction, type Ctx } from '../../platform/context'
import { SubjectKeyDestroyedError, type FieldCrypto } from '../../platform/crypto/index'
import {
  defineJob,
  PermanentJobError,
  safeErrorMessage,
  type JobDefinitions,
  type JobInfo,
} from '../../platform/jobs/index'
import { MailDeliveryError, type MailTransport } from '../../platform/mail/index'
import { SmsDeliveryError, type SmsProvider } from '../../platform/sms/index'
import { openMessage } from './notifications.outbox'
import {
  deleteNotificationsBefore,
  findNotification,
  markSent,
  recordFailure,
  type NotificationRow,
} from './notifications.repository'
import type { Provider } from './notifications.tables'
import { emailHtml } from './notifications.templates'

export const DELIVER_NOTIFICATION = 'deliver-notification'
export const PURGE_OLD_NOTIFICATIONS = 'purge-old-notifications'
/** Verification codes are worth little after a few minutes: 5 attempts span about 5 minutes of backoff. */
export const DELIVERY_ATTEMPTS = 5
export const DEFAULT_RETENTION_DAYS = 30

export interface NotificationJobsDeps {
  crypto: Pick<FieldCrypto, 'decryptField'>
  audit: Pick<AuditLog, 'record'>
  /** null: no SMTP server; e-mails stay in the developer outbox. */
  mail: MailTransport | null
  /** null: the `outbox` provider; SMS stay in the developer outbox. */
  sms: SmsProvider | null
  /** Messages older than this are deleted (default 30 days). */
  retentionDays?: number
}

interface Opened {
  to: string
  subject: string | null
  text: string
}

type Delivered = { provider: Provider; providerMessageId: string | null }

async function dispatch(deps: NotificationJobsDeps, row: NotificationRow, m: Opened, signal: AbortSignal) {
  if (row.channel === 'sms') {
    if (!deps.sms) return { provider: 'outbox', providerMessageId: null } satisfies Delivered
    const { providerMessageId } = await deps.sms.send({ to: m.to, text: m.text }, { signal })
    return { provider: deps.sms.id, providerMessageId } satisfies Delivered
  }
  if (!deps.mail) return { provider: 'outbox', providerMessageId: null } satisfies Delivered
  const subject = m.subject ?? ''
  const { messageId } = await deps.mail.send(
    {
      to: m.to,
      subject,
      text: m.text,
      html: emailHtml({ subject, text: m.text }, row.locale),
      // RFC 3834: an automatic message; auto-responders should not answer it.
      headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': row.locale, 'X-Oqu-Notification': row.id },
    },
    { signal },
  )
  return { provider: 'smtp', providerMessageId: messageId } satisfies Delivered
}

const isPermanent = (err: unknown) =>
  (err instanceof MailDeliveryError || err instanceof SmsDeliveryError) && !err.retryable

function auditEvent(row: NotificationRow, action: string, data: Record<string, string | number>) {
  return {
    action,
    subjectType: 'user',
    subjectId: row.subject_id,
    targetType: 'notification',
    targetId: row.id,
    data: { channel: row.channel, template: row.template, ...data },
  }
}

/** Records a failed attempt; the last one (or a permanent refusal) makes the message `failed`. Rethrows for the queue. */
async function failAttempt(deps: NotificationJobsDeps, ctx: Ctx, row: NotificationRow, err: unknown, job: JobInfo) {
  const permanent = isPermanent(err)
  const final = permanent || job.attempt >= job.maxAttempts
  const error = safeErrorMessage(err)
  await inTransaction(ctx, async (tx) => {
    await recordFailure(tx.db, row.id, { status: final ? 'failed' : 'queued', attempts: row.attempts + 1, error })
    if (final) await deps.audit.record(tx, auditEvent(row, 'notification.failed', { attempts: row.attempts + 1 }))
  })
  throw permanent ? new PermanentJobError(error) : err
}

async function deliver(deps: NotificationJobsDeps, ctx: Ctx, id: string, job: JobInfo): Promise<void> {
  const row = await findNotification(ctx.db, id)
  // Gone (retention, erasure) or already settled by an earlier attempt: nothing to do.
  if (!row || row.status !== 'queued') return
  let opened: Opened
  try {
    opened = await openMessage(deps.crypto, ctx.db, row)
  } catch (err) {
    if (!(err instanceof SubjectKeyDestroyedError)) throw err
    await inTransaction(ctx, async (tx) => {
      const error = 'The subject’s data were erased before delivery'
      await recordFailure(tx.db, row.id, { status: 'suppressed', attempts: row.attempts, error })
      await deps.audit.record(tx, auditEvent(row, 'notification.suppressed', {}))
    })
    return
  }
  let delivered: Delivered
  try {
    delivered = await dispatch(deps, row, opened, job.signal)
  } catch (err) {
    return failAttempt(deps, ctx, row, err, job)
  }
  await inTransaction(ctx, async (tx) => {
    await markSent(tx.db, row.id, { ...delivered, attempts: row.attempts + 1, sentAt: tx.now })
    await deps.audit.record(tx, auditEvent(row, 'notification.sent', { provider: delivered.provider }))
  })
}

/** The module's jobs, for the one job list of src/services.ts. */
export function notificationJobs(deps: NotificationJobsDeps): JobDefinitions {
  const retentionDays = deps.retentionDays ?? DEFAULT_RETENTION_DAYS
  return [
    defineJob<{ notificationId: string }>({
      name: DELIVER_NOTIFICATION,
      maxAttempts: DELIVERY_ATTEMPTS,
      timeoutMs: 60_000,
      // The handler commits its own writes: a failed attempt must be recorded, not rolled back with the job.
      transaction: false,
      handler: (ctx, payload, job) => deliver(deps, ctx, payload.notificationId, job),
    }),
    defineJob({
      name: PURGE_OLD_NOTIFICATIONS,
      cron: '45 3 * * *',
      handler: async (ctx) => {
        await deleteNotificationsBefore(ctx.db, new Date(ctx.now.getTime() - retentionDays * 86_400_000))
      },
    }),
  ]
}

/**
 * The core services every process needs (web, worker, CLI), built in
 * dependency order, and the one list of jobs they all register. Feature
 * modules add their services and jobs here as they arrive.
 */
import type { Config } from './config'
import type { Clock } from './platform/clock'
import type { Db } from './platform/db/database'
import { auditJobs, createAuditLog, type AuditLog } from './platform/audit/index'
import { createFieldCrypto, keyringFromConfig, type FieldCrypto, type Keyring } from './platform/crypto/index'
import {
  buildJobRegistry,
  createJobQueue,
  queueHousekeepingJobs,
  type JobDefinitions,
  type JobQueue,
  type JobRegistry,
} from './platform/jobs/index'
import type { Logger } from './platform/logger'
import { notificationJobs } from './modules/notifications/index'
import { createMailTransport, type MailTransport } from './platform/mail/index'
import { createSmsProvider, type SmsProvider } from './platform/sms/index'

export interface CoreDeps {
  config: Config
  db: Db
  clock: Clock
  logger: Logger
  /** Overrides the configured keyring (tests). */
  keyring?: Keyring
}

export interface CoreServices {
  audit: AuditLog
  keyring: Keyring
  crypto: FieldCrypto
  queue: JobQueue
  jobs: JobRegistry
  /** SMTP transport; null when OQU_SMTP_URL is unset (messages stay in the developer outbox). */
  mail: MailTransport | null
  /** SMS provider; null for the `outbox` provider. */
  sms: SmsProvider | null
}

/** Every job of the platform and its modules: the web process and the worker register the same list. */
export function jobDefinitions(services: Pick<CoreServices, 'audit' | 'crypto' | 'mail' | 'sms'>): JobDefinitions {
  return [...queueHousekeepingJobs(), ...auditJobs(services.audit), ...notificationJobs(services)]
}

/** Builds audit, encryption and the job queue; logs the keyring warning of embedded mode. */
export function createCoreServices(deps: CoreDeps): CoreServices {
  const { config, db, clock, logger } = deps
  const audit = createAuditLog({ clock, logger })
  let keyring = deps.keyring
  if (!keyring) {
    const loaded = keyringFromConfig(config)
    if (loaded.warning) logger.warn(loaded.warning)
    keyring = loaded.keyring
  }
  const crypto = createFieldCrypto({ keyring, audit, clock })
  const queue = createJobQueue({ db, clock, logger })
  const mail = createMailTransport(config)
  const sms = createSmsProvider(config)
  const jobs = buildJobRegistry(queue, jobDefinitions({ audit, crypto, mail, sms }))
  return { audit, keyring, crypto, queue, jobs, mail, sms }
}

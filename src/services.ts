/**
 * The services every process needs (web, worker, CLI), built in dependency
 * order, and the one list of jobs they all register. Nothing here knows
 * HTTP: app.ts adds pages and routes on top.
 */
import { fileURLToPath } from 'node:url'
import type { Config } from './config'
import { createAchievements, type Achievements } from './modules/achievements/index'
import {
  courseFacts,
  createLearnerService,
  createQuizService,
  createSearchHistory,
  type AllowsSearchHistory,
  type LearnerService,
  type LearningEventListener,
  type QuizService,
  type SearchHistory,
} from './modules/learning/index'
import {
  accountsJobs,
  createAccountClosureService,
  createAccountsModule,
  verifyPassword,
  type AccountsModule,
  type AccountTables,
} from './modules/accounts/index'
import { createNotifications, notificationJobs, type Notifications } from './modules/notifications/index'
import {
  createConsentService,
  createPolicyService,
  createPrivacyLifecycle,
  createRecordSigner,
  loadProfile,
  privacyJobs,
  profileGaps,
  type ConsentService,
  type PrivacyLifecycle,
  type PolicyService,
  type Profile,
} from './modules/privacy/index'
import { auditJobs, createAuditLog, type AuditLog } from './platform/audit/index'
import type { Clock } from './platform/clock'
import { createFieldCrypto, keyringFromConfig, type FieldCrypto, type Keyring } from './platform/crypto/index'
import type { Db } from './platform/db/database'
import { createI18n, loadLocaleFiles, type I18n } from './platform/i18n/i18n'
import {
  buildJobRegistry,
  createJobQueue,
  queueHousekeepingJobs,
  type JobDefinitions,
  type JobQueue,
  type JobRegistry,
} from './platform/jobs/index'
import type { Logger } from './platform/logger'
import { createMailTransport, type MailTransport } from './platform/mail/index'
import { createSmsProvider, type SmsProvider } from './platform/sms/index'

export const LOCALES_DIR = fileURLToPath(new URL('../locales', import.meta.url))

export interface CoreDeps {
  config: Config
  db: Db
  clock: Clock
  logger: Logger
  /** Overrides the configured keyring (tests). */
  keyring?: Keyring
  /** Told of lesson, quiz and course completions in their transaction; default: the achievements module. */
  onLearningEvent?: LearningEventListener
  /** Whether a learner's search-history consent is on (B-2.2); default: off, so nothing is kept. */
  allowsSearchHistory?: AllowsSearchHistory
}

export interface CoreServices {
  audit: AuditLog
  keyring: Keyring
  crypto: FieldCrypto
  queue: JobQueue
  jobs: JobRegistry
  i18n: I18n
  /** SMTP transport; null when OQU_SMTP_URL is unset (messages stay in the developer outbox). */
  mail: MailTransport | null
  /** SMS provider; null for the `outbox` provider. */
  sms: SmsProvider | null
  notifications: Notifications
  /** The operator profile (OQU_PROFILE), validated: a bad one stops start-up naming the file and path. */
  profile: Profile
  policies: PolicyService
  consents: ConsentService
  /** Identity: accounts, sessions, sign-in and its throttle. */
  accounts: AccountsModule
  /** Certificates and badges: `onLearningEvent` for learning, `forLearner` for "My learning". */
  achievements: Achievements
  /** Learning, the learner's side: enrolment, lessons and progress, quizzes, search history. */
  learner: LearnerService
  quizzes: QuizService
  searchHistory: SearchHistory
  /** Policy versions and notices, acceptance, purposes, withdrawal, marketing announcements (issue 4). */
  privacy: PrivacyLifecycle
}

/** Every job of the platform and its modules: the web process and the worker register the same list. */
export function jobDefinitions(
  services: Pick<CoreServices, 'audit' | 'crypto' | 'mail' | 'sms' | 'accounts' | 'privacy'>,
): JobDefinitions {
  return [
    ...queueHousekeepingJobs(),
    ...auditJobs(services.audit),
    ...notificationJobs(services),
    ...accountsJobs(services.accounts),
    ...privacyJobs(services.privacy),
  ]
}

function loadKeyring(deps: CoreDeps): Keyring {
  if (deps.keyring) return deps.keyring
  const loaded = keyringFromConfig(deps.config)
  if (loaded.warning) deps.logger.warn(loaded.warning)
  return loaded.keyring
}

/** Builds every service in dependency order; logs what the embedded keyring and the profile lack. */
export function createCoreServices(deps: CoreDeps): CoreServices {
  const { config, db, clock, logger } = deps
  const audit = createAuditLog({ clock, logger })
  const keyring = loadKeyring(deps)
  const crypto = createFieldCrypto({ keyring, audit, clock })
  const queue = createJobQueue({ db, clock, logger })
  const i18n = createI18n(loadLocaleFiles(LOCALES_DIR))
  const mail = createMailTransport(config)
  const sms = createSmsProvider(config)
  const notifications = createNotifications({ crypto, queue, i18n })
  const profile = loadProfile(config.profile)
  for (const gap of profileGaps(profile)) logger.warn(`operator profile ${profile.id} does not state ${gap}`)
  const policies = createPolicyService({ audit })
  // Withdrawal receipts are signed with a key derived from the blind-index key (see privacy/signatures.ts).
  const signer = createRecordSigner(keyring.blindIndex('privacy.record_signature', 'oqu.consent_record.v1'))
  const consents = createConsentService({ audit, crypto, sign: signer.sign })
  const accounts = createAccountsModule({ audit, crypto, notifications, consents, publicUrl: config.publicUrl })
  const achievements = createAchievements({
    audit,
    crypto,
    i18n,
    publicUrl: config.publicUrl,
    operatorNames: profile.operator.legalName,
    courseFacts,
    learnerName: (ctx, id) => accounts.accounts.fullName(ctx, id),
  })
  const privacy = createPrivacyLifecycle({
    audit,
    crypto,
    queue,
    profile,
    policies,
    consents,
    send: (ctx, input) => notifications.send(ctx, input),
    emailOf: (ctx, userId) => accounts.accounts.getEmail(ctx, userId),
    // The accounts index exports the argon2 check but no lookup of the hash: read it here (wiring only).
    verifyPassword: async (ctx, userId, password) => {
      const row = await ctx.db
        .withTables<AccountTables>()
        .selectFrom('users')
        .select(['password_hash', 'status'])
        .where('id', '=', userId)
        .executeTakeFirst()
      return !!row?.password_hash && row.status === 'active' && verifyPassword(row.password_hash, password)
    },
    publicUrl: config.publicUrl,
    unsubscribeSecret: keyring.blindIndex('privacy.unsubscribe', 'oqu.unsubscribe.v1'),
    // Closing an account (T-1.2): accounts sets the status and ends the sessions in privacy's transaction.
    closeAccount: createAccountClosureService({ audit, sessions: accounts.sessions, guardians: accounts.guardians })
      .close,
  })
  // Completions reach achievements (certificates, badges) inside the learner's transaction.
  const onEvent = deps.onLearningEvent ?? achievements.onLearningEvent
  const learner = createLearnerService({ audit, onEvent })
  const quizzes = createQuizService({ audit, onEvent })
  const searchHistory = createSearchHistory({
    audit,
    crypto,
    // B-2.2: queries are kept only while the learner's search-history purpose is on.
    allowsSearchHistory:
      deps.allowsSearchHistory ?? ((ctx, userId) => privacy.purposes.allows(ctx.db, userId, 'search_history')),
  })
  const jobs = buildJobRegistry(queue, jobDefinitions({ audit, crypto, mail, sms, accounts, privacy }))
  return {
    audit,
    keyring,
    crypto,
    queue,
    jobs,
    i18n,
    mail,
    sms,
    notifications,
    profile,
    policies,
    consents,
    accounts,
    achievements,
    learner,
    quizzes,
    searchHistory,
    privacy,
  }
}

/**
 * The composition root: builds every service in dependency order and
 * registers the HTTP surface. Tests build exactly this; `main.ts` only
 * listens. Reads like the wiring diagram of Oqu.
 */
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import Fastify, { type FastifyBaseLogger } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from './config'
import { registerHomePages } from './modules/home/index'
import { createNotifications, registerDevOutboxPages, type Notifications } from './modules/notifications/index'
import {
  createConsentService,
  createPolicyService,
  createReceiptService,
  loadProfile,
  profileGaps,
  registerReceiptPages,
  type ConsentService,
  type PolicyService,
  type Profile,
} from './modules/privacy/index'
import { systemClock, type Clock } from './platform/clock'
import { systemCtx } from './platform/context'
import type { Keyring } from './platform/crypto/index'
import type { Database } from './platform/db/database'
import { installErrorHandler } from './platform/http/error-handler'
import { registerHealthRoutes } from './platform/http/health'
import type { HttpApp } from './platform/http/http-app'
import { createMetrics, registerJobMetrics, registerMetricsRoute } from './platform/http/metrics'
import { registerOpenApi } from './platform/http/openapi'
import { registerPlatformApi } from './platform/http/platform-api'
import { registerRequestContext } from './platform/http/request-context'
import { registerSecurity } from './platform/http/security'
import { createI18n, loadLocaleFiles, type I18n } from './platform/i18n/i18n'
import { registerLanguageRoute } from './platform/i18n/language-route'
import { createLogger, type Logger } from './platform/logger'
import { registerAssets } from './platform/views/assets'
import { createViews } from './platform/views/layout'
import { createCoreServices, type CoreServices } from './services'

export const VERSION = '0.1.0'
export const LOCALES_DIR = fileURLToPath(new URL('../locales', import.meta.url))

export interface AppDeps {
  config: Config
  database: Database
  clock?: Clock
  logger?: Logger
  /** Overrides the configured keyring (tests). */
  keyring?: Keyring
}

export interface AppServices extends CoreServices {
  config: Config
  database: Database
  clock: Clock
  i18n: I18n
  notifications: Notifications
  profile: Profile
  policies: PolicyService
  consents: ConsentService
}

declare module 'fastify' {
  interface FastifyInstance {
    services: AppServices
  }
}

export type App = HttpApp

/** Builds the whole application without listening. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const { config, database } = deps
  const clock = deps.clock ?? systemClock
  const logger = deps.logger ?? createLogger(config.logLevel)
  const core = createCoreServices({ config, db: database.db, clock, logger, keyring: deps.keyring })
  const i18n = createI18n(loadLocaleFiles(LOCALES_DIR))
  const views = createViews({ i18n })
  const notifications = createNotifications({ crypto: core.crypto, queue: core.queue, i18n })
  // The operator profile is data, validated here: a bad one stops start-up naming the file and path.
  const profile = loadProfile(config.profile)
  for (const gap of profileGaps(profile)) logger.warn(`operator profile ${profile.id} does not state ${gap}`)
  const policies = createPolicyService({ audit: core.audit })
  const consents = createConsentService({ audit: core.audit, crypto: core.crypto })
  // Until sign-in exists nobody but the subject could open a receipt, so names are not looked up yet.
  const receipts = createReceiptService({ consents, policies, profile, subjectName: async () => null })
  await policies.ensureInitialPolicy(systemCtx(database.db, clock), profile)
  const metrics = createMetrics()
  const secureCookies = config.publicUrl.startsWith('https://')

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    trustProxy: config.trustProxy,
    bodyLimit: 1_048_576,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('services', {
    ...core,
    config,
    database,
    clock,
    i18n,
    notifications,
    profile,
    policies,
    consents,
  } satisfies AppServices)

  // Platform: the edge, the request context, errors, operations.
  await registerSecurity(app, {
    // Embedded mode has no configured secret: derive a stable one from the keyring's secret material.
    cookieSecret: config.cookieSecret ?? core.keyring.blindIndex('platform.cookie_secret', 'oqu'),
    rateLimitPerMinute: config.rateLimitPerMinute,
    secureCookies,
  })
  registerRequestContext(app, { db: database.db, clock })
  installErrorHandler(app, i18n, (req, e) => views.errorPage(req, e))
  registerMetricsRoute(app, metrics)
  registerJobMetrics(metrics, core.queue)
  await registerOpenApi(app, { version: VERSION, publicUrl: config.publicUrl })
  registerHealthRoutes(app, { db: database.db })
  registerPlatformApi(app, { config, version: VERSION })
  await registerAssets(app)
  registerLanguageRoute(app, { secureCookies })

  // Feature modules.
  registerHomePages(app, { views, i18n })
  registerDevOutboxPages(app, { notifications, views, i18n, config })
  // Receipts open for their subject, guardian or DPO; until sessions exist, for nobody.
  registerReceiptPages(app, { consents, receipts, views, i18n, authorize: () => false })

  // Embedded mode runs the job worker in the web process; production runs `npm run worker`.
  if (config.inlineWorker) {
    // PGlite has one connection: one job at a time.
    app.addHook('onReady', async () => core.queue.start({ concurrency: database.kind === 'pglite' ? 1 : 2 }))
  }
  app.addHook('onClose', async () => {
    await core.queue.stop()
    core.mail?.close()
  })

  return app
}

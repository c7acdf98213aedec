/**
 * The composition root: builds every service in dependency order and
 * registers the HTTP surface. Tests build exactly this; `main.ts` only
 * listens. Reads like the wiring diagram of Oqu.
 */
import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyBaseLogger } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from './config'
import {
  canViewAccount,
  maskEmail,
  maskIin,
  maskPhone,
  registerAccountsPages,
  registerAuthentication,
  requireUser,
  type AccountTables,
} from './modules/accounts/index'
import { registerAchievementsPages } from './modules/achievements/index'
import { registerHomePages } from './modules/home/index'
import {
  createCatalogueService,
  createCourseService,
  createTeachService,
  registerCataloguePages,
  registerLearnPages,
  registerTeachPages,
  seedDemoContent,
  createAuthoringService,
  createMediaService,
  registerAuthoringPages,
  registerQuizAuthoringPages,
  seedDemoPeople,
  DEMO_PEOPLE,
  type AllowsSearchHistory,
  type LearnerAchievementsSource,
  type LearningEventListener,
} from './modules/learning/index'
import { registerDevOutboxPages } from './modules/notifications/index'
import {
  createReceiptService,
  policyBannerOf,
  registerCentrePages,
  registerDpoPages,
  registerPolicyGate,
  registerPolicyPages,
  registerReceiptPages,
  type HeldValue,
  createChangeRequestDesk,
  registerClosurePages,
  registerRequestPages,
  registerWardPages,
} from './modules/privacy/index'
import { createDataMaps } from './data-maps'
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
import { registerLanguageRoute } from './platform/i18n/language-route'
import { createLogger, type Logger } from './platform/logger'
import { registerAssets } from './platform/views/assets'
import { createViews } from './platform/views/layout'
import { createCoreServices, type CoreServices } from './services'

export const VERSION = '0.1.0'

export interface AppDeps {
  config: Config
  database: Database
  clock?: Clock
  logger?: Logger
  /** Overrides the configured keyring (tests). */
  keyring?: Keyring
  /** Learning events (achievements); default: nobody listens. */
  onLearningEvent?: LearningEventListener
  /** The learner's achievements for /learn; default: none shown. */
  learnerAchievements?: LearnerAchievementsSource
  /** The search-history consent check (B-2.2); default: off. */
  allowsSearchHistory?: AllowsSearchHistory
}

export interface AppServices extends CoreServices {
  config: Config
  database: Database
  clock: Clock
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
  const core = createCoreServices({
    config,
    db: database.db,
    clock,
    logger,
    keyring: deps.keyring,
    onLearningEvent: deps.onLearningEvent,
    allowsSearchHistory: deps.allowsSearchHistory,
  })
  const { i18n, notifications, profile, policies, consents } = core
  // Pages only; the services themselves live in services.ts so the worker shares them.
  // The layout shows the policy banner the privacy gate found for the request (T-6.4, B-1.2).
  const views = createViews({ i18n, banner: policyBannerOf(i18n) })
  const receipts = createReceiptService({
    consents,
    policies,
    profile,
    subjectName: (ctx, id) => core.accounts.accounts.fullName(ctx, id),
  })
  await policies.ensureInitialPolicy(systemCtx(database.db, clock), profile)
  const courses = createCourseService({ audit: core.audit })
  const catalogue = createCatalogueService()
  // The demo catalogue: embedded, non-production mode only (config.demo); tests seed their own.
  if (config.demo && config.env !== 'test') {
    const ctx = systemCtx(database.db, clock)
    // Demo people with public passwords: embedded database and never production.
    const people =
      config.env !== 'production' && database.kind === 'pglite'
        ? await seedDemoPeople(ctx, core.accounts.accounts)
        : undefined
    await seedDemoContent(ctx, courses, { quizzes: core.quizzes, instructorUserId: people?.instructorId })
    if (people)
      logger.info(
        `demo mode — demo accounts: ${DEMO_PEOPLE.map((p) => `${p.role} ${p.email} / ${p.password}`).join('; ')}`,
      )
  }
  const metrics = createMetrics()
  const secureCookies = config.publicUrl.startsWith('https://')

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    trustProxy: config.trustProxy,
    bodyLimit: 1_048_576,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('services', { ...core, config, database, clock } satisfies AppServices)

  // Platform: the edge, the request context, errors, operations.
  await registerSecurity(app, {
    // Embedded mode has no configured secret: derive a stable one from the keyring's secret material.
    cookieSecret: config.cookieSecret ?? core.keyring.blindIndex('platform.cookie_secret', 'oqu'),
    rateLimitPerMinute: config.rateLimitPerMinute,
    secureCookies,
  })
  registerRequestContext(app, { db: database.db, clock })
  // Sessions resolve the signed-in actor right after the context exists.
  registerAuthentication(app, { sessions: core.accounts.sessions, secureCookies })
  // Acceptance by use (T-1.2) and the new-version banner, on every authenticated request.
  registerPolicyGate(app, { acceptance: core.privacy.acceptance })
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
  registerAccountsPages(app, {
    views,
    i18n,
    secureCookies,
    module: core.accounts,
    policies,
    profile,
    purposes: core.privacy.purposes,
  })
  registerAchievementsPages(app, { achievements: core.achievements, views, i18n })
  await registerAuthoringPages(app, {
    courses,
    authoring: createAuthoringService(),
    media: createMediaService({ courses, audit: core.audit }),
    views,
    i18n,
  })
  // The quiz editor of quiz lessons, beside the authoring pages (same authors-and-admins rule).
  registerQuizAuthoringPages(app, { authoring: createAuthoringService(), quizzes: core.quizzes, views, i18n })
  registerCataloguePages(app, { catalogue, views, i18n, learner: core.learner, searchHistory: core.searchHistory })
  registerLearnPages(app, {
    learner: core.learner,
    quizzes: core.quizzes,
    searchHistory: core.searchHistory,
    views,
    i18n,
    achievements: deps.learnerAchievements ?? core.achievements.forLearner,
  })
  // Instructors see their learners' names (need-to-know, B-3.4), never contact data or IIN.
  const teach = createTeachService({ learnerName: (ctx, id) => core.accounts.accounts.fullName(ctx, id) })
  registerTeachPages(app, { teach, quizzes: core.quizzes, views, i18n })
  registerDevOutboxPages(app, { notifications, views, i18n, config })
  const { privacy } = core
  registerPolicyPages(app, { views, i18n, profile, policies, ...privacy, requireUser })
  registerDpoPages(app, { views, i18n, profile, policies, ...privacy, requireUser })
  registerCentrePages(app, {
    views,
    i18n,
    profile,
    dataMap: createDataMaps(),
    policies,
    consents,
    ...privacy,
    requireUser,
    // What the accounts module holds about the person, masked unless they asked to see it.
    valuesOf: async (ctx, userId, reveal) => {
      const a = core.accounts.accounts
      const label = (f: string) => `accounts.register.fields.${f}.label`
      const out: HeldValue[] = []
      const email = await a.getEmail(ctx, userId)
      if (email) out.push({ category: 'contact', label: label('email'), value: reveal ? email : maskEmail(email) })
      const phone = await a.getPhone(ctx, userId)
      if (phone) out.push({ category: 'contact', label: label('phone'), value: reveal ? phone : maskPhone(phone) })
      const fields = await a.getProfileFields(ctx, userId)
      const categories = { iin: 'government_id', gender: 'demographic', birthDate: 'demographic' } as const
      for (const [name, value] of Object.entries(fields)) {
        if (!value) continue
        const category = categories[name as keyof typeof categories] ?? 'identity'
        const shown = reveal
          ? value
          : name === 'iin'
            ? maskIin(value)
            : value.length > 2
              ? `${value.slice(0, 1)}•••`
              : '•••'
        out.push({ category, label: label(name), value: shown })
      }
      return out
    },
  })
  // A receipt opens for the person it is about, whoever gave the consent for them, or the DPO.
  registerReceiptPages(app, {
    consents,
    receipts,
    views,
    i18n,
    authorize: (req, record) =>
      canViewAccount(req.ctx.actor, record.subjectId) ||
      canViewAccount(req.ctx.actor, record.givenBy) ||
      (req.ctx.actor?.roles.includes('dpo') ?? false),
  })

  // Closing the account (T-1.2): signed like a withdrawal, then the receipt on the same page.
  registerClosurePages(app, { views, i18n, profile, closure: privacy.closure, receipts, requireUser })
  // A guardian sees each child's consents and withdraws for them (law Arts. 7–9; accounts' guardian links).
  registerWardPages(app, {
    views,
    i18n,
    consents,
    purposes: privacy.purposes,
    withdrawal: privacy.withdrawal,
    requireUser,
    wardsOf: async (ctx) =>
      Promise.all(
        (await core.accounts.guardians.children(ctx)).map(async (link) => ({
          childId: link.child_id,
          name: await core.accounts.accounts.fullName(ctx, link.child_id),
        })),
      ),
  })
  // Data change requests on the DPO's desk (T-5.2.2): accounts keeps and decides them; the requester is e-mailed.
  registerRequestPages(app, {
    views,
    i18n,
    requireUser,
    desk: createChangeRequestDesk({
      requests: core.accounts.corrections,
      // Whose request it is, read here as services.ts reads the password hash (wiring only).
      requesterOf: async (ctx, id) =>
        (
          await ctx.db
            .withTables<AccountTables>()
            .selectFrom('data_change_requests')
            .select('user_id')
            .where('id', '=', id)
            .executeTakeFirst()
        )?.user_id,
      nameOf: (ctx, id) => core.accounts.accounts.fullName(ctx, id),
      emailOf: (ctx, id) => core.accounts.accounts.getEmail(ctx, id),
      send: (ctx, input) => notifications.send(ctx, input),
      publicUrl: config.publicUrl,
    }),
  })

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

/**
 * The composition root: builds every service in dependency order and
 * registers the HTTP surface. Tests build exactly this; `main.ts` only
 * listens. Reads like the wiring diagram of Oqu.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import Fastify, { type FastifyBaseLogger } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from './config'
import { systemClock, type Clock } from './platform/clock'
import type { Database } from './platform/db/database'
import { installErrorHandler } from './platform/http/error-handler'
import { registerHealthRoutes } from './platform/http/health'
import { createMetrics, registerMetricsRoute } from './platform/http/metrics'
import { registerOpenApi } from './platform/http/openapi'
import { registerRequestContext } from './platform/http/request-context'
import { registerSecurity } from './platform/http/security'
import { createI18n, loadLocaleFiles, type I18n } from './platform/i18n/i18n'
import { createLogger, type Logger } from './platform/logger'
import { createViews } from './platform/views/layout'
import { html } from './platform/views/html'
import { registerPlatformApi } from './platform/http/platform-api'
import type { HttpApp } from './platform/http/http-app'

export const VERSION = '0.1.0'
export const LOCALES_DIR = fileURLToPath(new URL('../locales', import.meta.url))

export interface AppDeps {
  config: Config
  database: Database
  clock?: Clock
  logger?: Logger
  /** Secret for signed cookies when the configuration has none (embedded mode keeps one in its data directory). */
  cookieSecret?: string
}

export interface AppServices {
  config: Config
  database: Database
  clock: Clock
  i18n: I18n
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
  const i18n = createI18n(loadLocaleFiles(LOCALES_DIR))
  const views = createViews({ i18n })
  const metrics = createMetrics()

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    trustProxy: config.trustProxy,
    bodyLimit: 1_048_576,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('services', { config, database, clock, i18n } satisfies AppServices)

  await registerSecurity(app, {
    cookieSecret: config.cookieSecret ?? deps.cookieSecret ?? randomBytes(32).toString('base64'),
    rateLimitPerMinute: config.rateLimitPerMinute,
    secureCookies: config.publicUrl.startsWith('https://'),
  })
  registerRequestContext(app, { db: database.db, clock })
  installErrorHandler(app, i18n, (req, e) =>
    views.page(req, { title: e.message, main: html`<h1>${e.message}</h1><p>${e.requestId}</p>` }),
  )
  registerMetricsRoute(app, metrics)
  await registerOpenApi(app, { version: VERSION, publicUrl: config.publicUrl })
  registerHealthRoutes(app, { db: database.db })
  registerPlatformApi(app, { config, version: VERSION })

  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    reply.type('text/html; charset=utf-8')
    return views.page(req, { title: i18n.t(req.ctx.locale, 'app.name'), main: html`<h1>${i18n.t(req.ctx.locale, 'app.tagline')}</h1>` })
  })

  return app
}

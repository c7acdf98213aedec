/**
 * Lesson benchmark on PostgreSQL: a signed-in learner's lesson page, quiz
 * page and /learn of the real app, each against a bare Fastify route that
 * runs the same SQL statements (captured from the app, session lookup
 * included) and renders nothing.
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5433/postgres npx tsx bench/lesson.bench.ts
 *
 * Same environment as catalogue.bench.ts (a throwaway oqu_test_… database;
 * BENCH_SECONDS, BENCH_CONNECTIONS). See bench/README.md.
 */
import { randomBytes } from 'node:crypto'
import { buildApp, type App } from '../src/app'
import { loadConfig } from '../src/config'
import { createAccountsService } from '../src/modules/accounts/index'
import { createCourseService, createQuizService, seedDemoContent } from '../src/modules/learning/index'
import { createAuditLog } from '../src/platform/audit/index'
import { systemClock } from '../src/platform/clock'
import { systemCtx } from '../src/platform/context'
import { createKeyring } from '../src/platform/crypto/index'
import { createTestDatabase } from '../test/database'
import { captureQueries, load, printTable, startBaseline, type Row, type Statement } from './harness'

const SLUG = 'demo-digital-literacy'
const PASSWORD = 'bench learner password'

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL
  if (!adminUrl) {
    console.error('Set DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL server where a database may be created.')
    process.exit(1)
  }
  process.env.TEST_DATABASE_URL = adminUrl
  const seconds = Number(process.env.BENCH_SECONDS ?? 10)
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 10)
  const testDb = await createTestDatabase('postgres')
  let app: App | undefined
  try {
    const database = { db: testDb.db, kind: 'postgres' as const, close: async () => {} }
    const keyring = createKeyring(new Map([['bench-1', randomBytes(32)]]), 'bench-1', randomBytes(32))
    const config = loadConfig({ NODE_ENV: 'test', OQU_RATE_LIMIT: '1000000' })
    app = await buildApp({ config, database, clock: systemClock, keyring })
    const audit = createAuditLog()
    const ctx = systemCtx(testDb.db, systemClock)
    await seedDemoContent(ctx, createCourseService({ audit }), { quizzes: createQuizService({ audit }) })
    // A learner half-way through the course, signed in through the real sign-in form.
    const email = 'bench.learner@example.kz'
    const accounts = createAccountsService({ audit, crypto: app.services.crypto })
    const learner = await accounts.createAccount(ctx, { email, password: PASSWORD, roles: ['learner'] })
    const asLearner = { ...ctx, actor: { kind: 'user' as const, id: learner.id, roles: ['learner' as const] } }
    await app.services.learner.enrol(asLearner, SLUG)
    const first = await app.services.learner.lesson(asLearner, SLUG, await app.services.learner.resume(asLearner, SLUG))
    const lessons = first.modules.flatMap((m) => m.lessons)
    for (const l of lessons.slice(0, 3)) await app.services.learner.markDone(asLearner, SLUG, l.id)
    const quiz = lessons.find((l) => l.kind === 'quiz')!
    const cookie = await signIn(app, email)
    const pages: Record<string, string> = {
      'lesson page': `/learn/${SLUG}/lessons/${lessons[3]!.id}`,
      'quiz page': `/learn/${SLUG}/lessons/${quiz.id}`,
      'my learning': '/learn',
    }
    const rows = await measure(app, testDb.url!, pages, { connections, seconds, headers: { cookie } })
    printTable(
      rows,
      `PostgreSQL, ${connections} connections, ${seconds} s per run, pool of 8 on both sides; a signed-in learner ` +
        `half-way through a demo course. Baseline = bare Fastify running the same statements, no rendering.`,
    )
  } finally {
    await app?.close()
    await testDb.dispose()
  }
}

/** Signs in through GET and POST /login; returns the Cookie header of the session. */
async function signIn(app: App, email: string): Promise<string> {
  const form = await app.inject({ url: '/login' })
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? ''
  const jar = new Map<string, string>()
  for (const c of form.cookies as { name: string; value: string }[]) jar.set(c.name, c.value)
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
    },
    payload: new URLSearchParams({ _csrf: csrf, identifier: email, password: PASSWORD }).toString(),
  })
  if (res.statusCode !== 303) throw new Error(`sign-in answered ${res.statusCode}`)
  for (const c of res.cookies as { name: string; value: string }[]) jar.set(c.name, c.value)
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
}

async function measure(
  app: App,
  dbUrl: string,
  pages: Record<string, string>,
  options: { connections: number; seconds: number; headers: Record<string, string> },
): Promise<Row[]> {
  const captured: Record<string, Statement[]> = {}
  const headers = { 'accept-language': 'ru', ...options.headers }
  for (const [name, url] of Object.entries(pages)) {
    const res = await app.inject({ url, headers })
    if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`)
    captured[name] = await captureQueries(() => app.inject({ url, headers }))
  }
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (!address || typeof address === 'string') throw new Error('app has no TCP address')
  const baseline = await startBaseline(dbUrl, slugged(captured), 8)
  const rows: Row[] = []
  try {
    for (const [name, url] of Object.entries(pages)) {
      const oqu = await load(`http://127.0.0.1:${address.port}${url}`, { ...options, headers })
      const base = await load(`${baseline.baseUrl}/baseline/${slug(name)}`, options)
      rows.push({ page: name, queries: captured[name]!.length, oqu, baseline: base })
    }
  } finally {
    await baseline.close()
  }
  return rows
}

const slug = (name: string) => name.replace(/[^a-z0-9]+/gi, '-')
const slugged = (routes: Record<string, Statement[]>) =>
  Object.fromEntries(Object.entries(routes).map(([k, v]) => [slug(k), v]))

await main()

/**
 * Catalogue benchmark on PostgreSQL: /courses, a search, a filtered page and
 * a course page of the real app, each against a bare Fastify route that runs
 * the same SQL statements (captured from the app) and renders nothing.
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5433/postgres npx tsx bench/catalogue.bench.ts
 *
 * Uses DATABASE_URL or TEST_DATABASE_URL only to create a throwaway database
 * (oqu_test_…), which it drops at the end. BENCH_SECONDS (default 10) and
 * BENCH_CONNECTIONS (default 10) tune the load. See bench/README.md.
 */
import { randomBytes } from 'node:crypto'
import { buildApp, type App } from '../src/app'
import { loadConfig } from '../src/config'
import { createCourseService, seedDemoContent, type CourseInput } from '../src/modules/learning/index'
import { createAuditLog } from '../src/platform/audit/index'
import { systemClock } from '../src/platform/clock'
import { systemCtx } from '../src/platform/context'
import { createKeyring } from '../src/platform/crypto/index'
import type { Db } from '../src/platform/db/database'
import { createTestDatabase } from '../test/database'
import { captureQueries, load, printTable, startBaseline, type Row, type Statement } from './harness'

const PAGES: Record<string, string> = {
  catalogue: '/courses',
  'catalogue page 2': '/courses?page=2',
  search: `/courses?q=${encodeURIComponent('цифровая грамотность')}`,
  'search (typo)': `/courses?q=${encodeURIComponent('грамотнсть')}`,
  filtered: '/courses?lang=kk&price=free&level=beginner',
  'course page': '/courses/demo-digital-literacy',
}

/** Extra published courses so the catalogue has several pages, as a real one would. */
const EXTRA_COURSES = 43

async function seed(db: Db): Promise<void> {
  const courses = createCourseService({ audit: createAuditLog() })
  const ctx = () => systemCtx(db, systemClock)
  await seedDemoContent(ctx(), courses)
  for (let i = 0; i < EXTRA_COURSES; i++) {
    const n = String(i + 1).padStart(2, '0')
    const input: CourseInput = {
      slug: `bench-course-${n}`,
      languages: ['kk', 'ru'],
      level: (['beginner', 'intermediate', 'advanced'] as const)[i % 3]!,
      durationHours: 6 + (i % 30),
      priceKzt: i % 4 === 0 ? 9000 + i * 500 : null,
      texts: {
        kk: {
          title: `Әдістемелік семинар №${n}: сабақты жоспарлау`,
          summary: 'Мұғалімдерге арналған практикалық семинар.',
        },
        ru: { title: `Методический семинар №${n}: планирование урока`, summary: 'Практический семинар для учителей.' },
      },
    }
    const { id } = await courses.create(ctx(), input)
    const { id: moduleId } = await courses.addModule(ctx(), id, { titles: { kk: 'Кіріспе', ru: 'Введение' } })
    const texts = { kk: { title: 'Сабақ', bodyMarkdown: 'Мәтін.' }, ru: { title: 'Урок', bodyMarkdown: 'Текст.' } }
    await courses.addLesson(ctx(), moduleId, { kind: 'text', texts })
    await courses.publish(ctx(), id)
  }
}

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
    await seed(testDb.db)
    const rows = await measure(app, testDb.url!, { connections, seconds })
    printTable(
      rows,
      `PostgreSQL, ${connections} connections, ${seconds} s per run, pool of 8 on both sides; ` +
        `${EXTRA_COURSES + 5} published courses. Baseline = bare Fastify running the same statements, no rendering.`,
    )
  } finally {
    await app?.close()
    await testDb.dispose()
  }
}

/** Captures each page's statements, then loads the app and the baseline in turn. */
async function measure(app: App, dbUrl: string, options: { connections: number; seconds: number }): Promise<Row[]> {
  const captured: Record<string, Statement[]> = {}
  for (const [name, url] of Object.entries(PAGES)) {
    // The first request warms caches (pg_trgm detection); the second is the one measured.
    const res = await app.inject({ url, headers: { 'accept-language': 'ru' } })
    if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`)
    captured[name] = await captureQueries(() => app.inject({ url, headers: { 'accept-language': 'ru' } }))
  }
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (!address || typeof address === 'string') throw new Error('app has no TCP address')
  const baseline = await startBaseline(dbUrl, slugged(captured), 8)
  const rows: Row[] = []
  try {
    for (const [name, url] of Object.entries(PAGES)) {
      const oqu = await load(`http://127.0.0.1:${address.port}${url}`, options)
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

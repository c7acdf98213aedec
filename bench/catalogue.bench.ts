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
import { createCourseService, seedDemoContent, type CourseInput } from '../src/modules/learning/index'
import { createAuditLog } from '../src/platform/audit/index'
import { systemClock } from '../src/platform/clock'
import { systemCtx } from '../src/platform/context'
import type { Db } from '../src/platform/db/database'
import { compareWithBaseline, printTable, withBenchApp } from './harness'

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

await withBenchApp(async (run) => {
  await seed(run.db)
  const rows = await compareWithBaseline(run, PAGES)
  printTable(
    rows,
    `PostgreSQL, ${run.connections} connections, ${run.seconds} s per run, pool of 8 on both sides; ` +
      `${EXTRA_COURSES + 5} published courses. Baseline = bare Fastify running the same statements, no rendering.`,
  )
})

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
import type { App } from '../src/app'
import { createAccountsService } from '../src/modules/accounts/index'
import { createCourseService, createQuizService, seedDemoContent } from '../src/modules/learning/index'
import { createAuditLog } from '../src/platform/audit/index'
import { systemClock } from '../src/platform/clock'
import { systemCtx } from '../src/platform/context'
import { compareWithBaseline, printTable, withBenchApp } from './harness'

const SLUG = 'demo-digital-literacy'
const PASSWORD = 'bench learner password'

await withBenchApp(async (run) => {
  const { app } = run
  const audit = createAuditLog()
  const ctx = systemCtx(run.db, systemClock)
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
  const rows = await compareWithBaseline(run, pages, { cookie })
  printTable(
    rows,
    `PostgreSQL, ${run.connections} connections, ${run.seconds} s per run, pool of 8 on both sides; a signed-in learner ` +
      `half-way through a demo course. Baseline = bare Fastify running the same statements, no rendering.`,
  )
})

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

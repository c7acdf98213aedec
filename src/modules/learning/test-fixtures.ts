/** Shared fixtures for the learning tests: real services on a test clock, actors, and a publishable course. */
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { createAuditLog } from '../../platform/audit/index'
import { createTestClock, type TestClock } from '../../platform/clock'
import { SYSTEM_ACTOR, type Actor, type Ctx, type Locale, type Role } from '../../platform/context'
import type { Db } from '../../platform/db/database'
import { createCatalogueService, type CatalogueService, type CatalogueServiceDeps } from './catalogue.service'
import { createCourseService, type CourseService } from './courses.service'
import type { CourseInput } from './courses.validation'
import type { LearningEvent, LearningEventListener } from './learning.events'
import { createLearnerService, type LearnerService } from './learner.service'
import { createQuizService, type QuizInput, type QuizService } from './quizzes.service'

export interface LearningFixtures {
  clock: TestClock
  courses: CourseService
  catalogue: CatalogueService
  learner: LearnerService
  quizzes: QuizService
  /** Every learning event told to the listener, with whether it came inside a transaction. */
  events: (LearningEvent & { inTransaction: boolean })[]
  /** Replace to make the listener do something else (e.g. fail); reset to null after. */
  listener: { override: LearningEventListener | null }
  /** A Ctx on `db` for `actor` (default: the system). */
  ctx(db: Db, actor?: Actor | null, locale?: Locale): Ctx
  /** An actor with a (bare) account row, so links to the account hold. */
  user(db: Db, ...roles: Role[]): Promise<Actor>
}

export function learningFixtures(options: CatalogueServiceDeps = {}): LearningFixtures {
  const clock = createTestClock('2026-03-01T10:00:00Z')
  const audit = createAuditLog({ clock })
  const events: LearningFixtures['events'] = []
  const listener: LearningFixtures['listener'] = { override: null }
  const onEvent: LearningEventListener = async (ctx, event) => {
    if (listener.override) return listener.override(ctx, event)
    events.push({ ...event, inTransaction: ctx.db.isTransaction })
  }
  return {
    clock,
    courses: createCourseService({ audit }),
    catalogue: createCatalogueService(options),
    learner: createLearnerService({ audit, onEvent }),
    quizzes: createQuizService({ audit, onEvent }),
    events,
    listener,
    ctx: (db, actor = SYSTEM_ACTOR, locale = 'kk') => ({
      actor,
      requestId: randomUUID(),
      ip: null,
      userAgent: null,
      locale,
      now: clock.now(),
      db,
    }),
    async user(db, ...roles) {
      const id = randomUUID()
      await sql`insert into users (id, status, created_at, updated_at) values (${id}, 'active', now(), now())`.execute(
        db,
      )
      return { kind: 'user', id, roles }
    },
  }
}

/** A valid course input in the given languages; `over` replaces fields. */
export function courseInput(
  over: Partial<CourseInput> & { title?: Partial<Record<Locale, string>> } = {},
): CourseInput {
  const { title, ...rest } = over
  const languages = rest.languages ?? ['kk', 'ru']
  const texts: CourseInput['texts'] = {}
  for (const l of languages)
    texts[l] = { title: title?.[l] ?? `Course ${l} ${randomUUID().slice(0, 6)}`, summary: `Summary in ${l}` }
  return {
    slug: `course-${randomUUID().slice(0, 8)}`,
    languages,
    level: 'beginner',
    durationHours: 8,
    priceKzt: null,
    texts,
    ...rest,
  }
}

/** Creates a course with one module and one text lesson in each of its languages, and publishes it. */
export async function publishedCourse(
  f: LearningFixtures,
  db: Db,
  input: CourseInput = courseInput(),
): Promise<{ id: string; slug: string; moduleId: string; lessonId: string }> {
  const ctx = f.ctx(db)
  const { id, slug } = await f.courses.create(ctx, input)
  const titles = Object.fromEntries(input.languages.map((l) => [l, `Module ${l}`]))
  const { id: moduleId } = await f.courses.addModule(ctx, id, { titles })
  const texts = Object.fromEntries(input.languages.map((l) => [l, { title: `Lesson ${l}`, bodyMarkdown: `Text ${l}` }]))
  const { id: lessonId } = await f.courses.addLesson(ctx, moduleId, { kind: 'text', texts })
  await f.courses.publish(ctx, id)
  return { id, slug, moduleId, lessonId }
}

/** A quiz of three questions (single, multiple, short) in kk and ru; pass mark 70 %, `over` replaces settings. */
export function quizInput(over: Partial<QuizInput> = {}): QuizInput {
  const t = (kk: string, ru: string) => ({ kk, ru })
  return {
    passPercent: 70,
    maxAttempts: null,
    shuffleOptions: true,
    questions: [
      {
        kind: 'single',
        prompt: t('Қазақстанның астанасы?', 'Столица Казахстана?'),
        explanation: t('Астана — 1997 жылдан бері астана.', 'Астана — столица с 1997 года.'),
        options: [
          { label: t('Астана', 'Астана'), correct: true },
          { label: t('Алматы', 'Алматы'), correct: false },
          { label: t('Шымкент', 'Шымкент'), correct: false },
        ],
      },
      {
        kind: 'multiple',
        prompt: t('Жай сандар?', 'Простые числа?'),
        options: [
          { label: t('2', '2'), correct: true },
          { label: t('4', '4'), correct: false },
          { label: t('7', '7'), correct: true },
        ],
      },
      { kind: 'short', prompt: t('Ұлы ақын?', 'Великий поэт?'), acceptedAnswers: ['Абай', 'Абай Құнанбайұлы'] },
    ],
    ...over,
  }
}

/** A published free course (kk, ru) with two text lessons, one optional video lesson and a quiz lesson. */
export async function courseWithQuiz(
  f: LearningFixtures,
  db: Db,
  quiz: QuizInput = quizInput(),
): Promise<{ id: string; slug: string; textIds: [string, string]; videoId: string; quizId: string }> {
  const ctx = f.ctx(db)
  const input = courseInput()
  const { id, slug } = await f.courses.create(ctx, input)
  const { id: moduleId } = await f.courses.addModule(ctx, id, { titles: { kk: 'Модуль', ru: 'Модуль' } })
  const texts = (n: string) => ({
    kk: { title: `Сабақ ${n}`, bodyMarkdown: `Мәтін **${n}**` },
    ru: { title: `Урок ${n}`, bodyMarkdown: `Текст ${n}` },
  })
  const a = await f.courses.addLesson(ctx, moduleId, { kind: 'text', texts: texts('1') })
  const video = await f.courses.addLesson(ctx, moduleId, {
    kind: 'video',
    videoUrl: 'https://www.youtube-nocookie.com/embed/abc123',
    required: false,
    texts: texts('video'),
  })
  const b = await f.courses.addLesson(ctx, moduleId, { kind: 'text', texts: texts('2') })
  const q = await f.courses.addLesson(ctx, moduleId, { kind: 'quiz', texts: texts('quiz') })
  await f.quizzes.setQuiz(ctx, q.id, quiz)
  await f.courses.publish(ctx, id)
  return { id, slug, textIds: [a.id, b.id], videoId: video.id, quizId: q.id }
}

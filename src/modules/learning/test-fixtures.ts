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

export interface LearningFixtures {
  clock: TestClock
  courses: CourseService
  catalogue: CatalogueService
  /** A Ctx on `db` for `actor` (default: the system). */
  ctx(db: Db, actor?: Actor | null, locale?: Locale): Ctx
  /** An actor with a (bare) account row, so links to the account hold. */
  user(db: Db, ...roles: Role[]): Promise<Actor>
}

export function learningFixtures(options: CatalogueServiceDeps = {}): LearningFixtures {
  const clock = createTestClock('2026-03-01T10:00:00Z')
  const audit = createAuditLog({ clock })
  return {
    clock,
    courses: createCourseService({ audit }),
    catalogue: createCatalogueService(options),
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

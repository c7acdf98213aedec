// Demo content (issue 5): a demo catalogue in kk and ru, marked demo, with one paid course and a real quiz, a demo
// instructor (linked to the demo courses) and a demo learner made through the accounts API; seeding twice creates
// nothing new and writes nothing.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { describeEachDatabase } from '../../../test/database'
import { renderMarkdown } from '../privacy/index'
import { randomBytes } from 'node:crypto'
import { createAuditLog } from '../../platform/audit/index'
import { createFieldCrypto, createKeyring } from '../../platform/crypto/index'
import { createAccountsService } from '../accounts/index'
import { DEMO_COURSES, seedDemoContent } from './demo-content'
import { DEMO_PEOPLE, seedDemoPeople } from './demo-people'
import { learningFixtures } from './test-fixtures'

const f = learningFixtures()

it('offers 4–6 demo courses in Kazakh and Russian, one of them paid, with a quiz and safe Markdown', () => {
  assert.ok(DEMO_COURSES.length >= 4 && DEMO_COURSES.length <= 6)
  assert.equal(DEMO_COURSES.filter((d) => d.course.priceKzt !== null).length, 1)
  const lessons = DEMO_COURSES.flatMap((d) => d.modules.flatMap((m) => m.lessons))
  assert.ok(lessons.some((l) => l.kind === 'quiz' && l.quiz && l.quiz.questions.length >= 3))
  for (const d of DEMO_COURSES) assert.deepEqual(d.course.languages, ['kk', 'ru'], d.course.slug)
  for (const l of lessons)
    for (const t of Object.values(l.texts)) {
      assert.ok(t.bodyMarkdown.length > 40, t.title)
      assert.doesNotMatch(renderMarkdown(t.bodyMarkdown).value, /<script|<iframe|javascript:/i)
    }
})

describeEachDatabase('demo content', (get) => {
  it('seeds the demo catalogue once: published, marked demo, found by search', async () => {
    const db = get().db
    const first = await seedDemoContent(f.ctx(db), f.courses)
    assert.equal(first.created.length, DEMO_COURSES.length)
    assert.deepEqual((await seedDemoContent(f.ctx(db), f.courses)).created, [])
    const page = await f.catalogue.browse(f.ctx(db, null, 'ru'), {})
    assert.equal(page.total, DEMO_COURSES.length)
    assert.ok(page.items.every((c) => c.demo))
    assert.equal(page.items[0]?.slug, 'demo-digital-literacy')
    const found = await f.catalogue.browse(f.ctx(db, null, 'kk'), { q: 'сауаттылықты' })
    assert.ok(found.items.some((c) => c.slug === 'demo-digital-literacy'))
    const course = await f.catalogue.course(f.ctx(db, null, 'kk'), 'demo-digital-literacy')
    assert.deepEqual(
      course.instructors.map((i) => i.displayName),
      ['Әйгерім Сапарова', 'Дмитрий Ким'],
    )
    assert.ok(course.modules.flatMap((m) => m.lessons).some((l) => l.kind === 'quiz'))
  })
})

describeEachDatabase('demo people and quiz', (get) => {
  it('makes a demo instructor and learner once, links the instructor, sets the quiz, and a re-seed writes nothing', async () => {
    const db = get().db
    const audit = createAuditLog({ clock: f.clock })
    const keyring = createKeyring(new Map([['k1', randomBytes(32)]]), 'k1', randomBytes(32))
    const accounts = createAccountsService({ audit, crypto: createFieldCrypto({ keyring, audit, clock: f.clock }) })
    const people = await seedDemoPeople(f.ctx(db), accounts)
    assert.deepEqual(await seedDemoPeople(f.ctx(db), accounts), people)
    const instructor = await accounts.findByEmail(f.ctx(db), DEMO_PEOPLE[0]!.email)
    assert.deepEqual(instructor?.roles, ['instructor'])
    await seedDemoContent(f.ctx(db), f.courses, { quizzes: f.quizzes, instructorUserId: people.instructorId })
    const count = async () =>
      Number(
        (
          await db
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirst()
        )?.n,
      )
    const before = await count()
    await seedDemoContent(f.ctx(db), f.courses, { quizzes: f.quizzes, instructorUserId: people.instructorId })
    assert.equal(await count(), before, 'a restart writes nothing')
    const learner = { kind: 'user' as const, id: people.learnerId, roles: ['learner' as const] }
    await f.learner.enrol(f.ctx(db, learner), 'demo-digital-literacy')
    const course = await f.catalogue.course(f.ctx(db, null, 'ru'), 'demo-digital-literacy')
    const quiz = course.modules.flatMap((m) => m.lessons).find((l) => l.kind === 'quiz')!
    const summary = await f.quizzes.summary(f.ctx(db, learner, 'ru'), 'demo-digital-literacy', quiz.id)
    assert.equal(summary?.questionCount, 4)
    assert.equal(summary?.passPercent, 75)
  })
})

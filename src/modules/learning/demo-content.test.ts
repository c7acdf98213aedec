// Demo content (issue 5): a demo catalogue in kk and ru, marked demo, with one paid course and a quiz placeholder;
// seeding twice creates nothing new.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { describeEachDatabase } from '../../../test/database'
import { renderMarkdown } from '../privacy/index'
import { DEMO_COURSES, seedDemoContent } from './demo-content'
import { learningFixtures } from './test-fixtures'

const f = learningFixtures()

it('offers 4–6 demo courses in Kazakh and Russian, one of them paid, with a quiz placeholder and safe Markdown', () => {
  assert.ok(DEMO_COURSES.length >= 4 && DEMO_COURSES.length <= 6)
  assert.equal(DEMO_COURSES.filter((d) => d.course.priceKzt !== null).length, 1)
  const lessons = DEMO_COURSES.flatMap((d) => d.modules.flatMap((m) => m.lessons))
  assert.ok(lessons.some((l) => l.kind === 'quiz'))
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

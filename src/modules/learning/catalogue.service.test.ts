// The catalogue (issue 5, T-3.1.1): only published courses; search finds Kazakh and Russian courses by inflected
// forms and by typos (pg_trgm or the application's own trigrams); filters and stable pages of 12.
import assert from 'node:assert/strict'
import { before, it } from 'node:test'
import { describeEachDatabase } from '../../../test/database'
import type { Locale } from '../../platform/context'
import { hasPgTrgm } from './catalogue.repository'
import { PAGE_SIZE } from './catalogue.service'
import { CourseNotFoundError } from './learning.errors'
import { courseInput, learningFixtures, publishedCourse, type LearningFixtures } from './test-fixtures'

const KK_TITLE = 'Цифрлық сауаттылық негіздері'
const RU_TITLE = 'Основы цифровой грамотности'

describeEachDatabase('catalogue', (get) => {
  const f = learningFixtures()
  let digital: string
  let inclusive: string

  before(async () => {
    const db = get().db
    const texts = {
      kk: { title: KK_TITLE, summary: 'Мұғалімдерге арналған цифрлық құралдар' },
      ru: { title: RU_TITLE, summary: 'Цифровые инструменты для учителя' },
    }
    digital = (await publishedCourse(f, db, courseInput({ slug: 'digital-literacy', texts, languages: ['kk', 'ru'] })))
      .id
    f.clock.advance(60_000)
    const inclusiveTexts = { kk: { title: 'Инклюзивті білім беру', summary: 'Әр баланың қажеттілігі' } }
    const paid = courseInput({ slug: 'inclusive-education', languages: ['kk'], texts: inclusiveTexts, priceKzt: 15000 })
    inclusive = (await publishedCourse(f, db, { ...paid, level: 'intermediate' })).id
    await f.courses.create(f.ctx(db), courseInput({ slug: 'draft-course', title: { kk: 'Цифрлық жоба' } }))
    const archived = await publishedCourse(
      f,
      db,
      courseInput({ slug: 'archived-course', title: { kk: 'Цифрлық мұрағат' } }),
    )
    await f.courses.archive(f.ctx(db), archived.id)
  })

  const slugs = async (q: string, extra: object = {}, locale: Locale = 'kk') =>
    (await f.catalogue.browse(f.ctx(get().db, null, locale), { q, ...extra })).items.map((c) => c.slug)

  it('lists only published courses for the public, newest first', async () => {
    const page = await f.catalogue.browse(f.ctx(get().db, null), {})
    assert.deepEqual(
      page.items.map((c) => c.slug),
      ['inclusive-education', 'digital-literacy'],
    )
    assert.equal(page.total, 2)
    assert.equal(page.matchedBy, 'all')
  })

  for (const q of ['цифрлық', 'сауаттылықты', 'сауаттылығы', 'негіздерін', 'Цифрлық сауаттылықтың негіздері'])
    it(`finds the Kazakh course by "${q}"`, async () => assert.deepEqual(await slugs(q), ['digital-literacy']))

  for (const q of ['грамотность', 'цифровая', 'основам цифровой грамотности', 'ГРАМОТНОСТИ', 'грамот'])
    it(`finds the Russian course by "${q}"`, async () => assert.deepEqual(await slugs(q), ['digital-literacy']))

  it('finds a course by a typo through trigrams ("грамотнсть", "инклюзивти"), saying so', async () => {
    const page = await f.catalogue.browse(f.ctx(get().db, null), { q: 'грамотнсть' })
    assert.deepEqual(
      page.items.map((c) => c.slug),
      ['digital-literacy'],
    )
    assert.equal(page.matchedBy, 'typo')
    assert.deepEqual(await slugs('инклюзивти'), ['inclusive-education'])
  })

  it('uses pg_trgm on PostgreSQL (the migration creates it where the server offers it)', async (t) => {
    if (get().kind !== 'postgres') return t.skip('PGlite has pg_trgm only when opened with its contrib bundle')
    assert.equal(await hasPgTrgm(get().db), true)
  })

  it('finds nothing for unrelated words; drafts and archived courses are never found', async () => {
    assert.deepEqual(await slugs('астрономия'), [])
    assert.deepEqual(await slugs('жоба'), [])
    assert.deepEqual(await slugs('мұрағат'), [])
  })

  it('shows the card in the reader’s language when the course has it, else in the course’s language', async () => {
    const ru = await f.catalogue.browse(f.ctx(get().db, null, 'ru'), {})
    const card = (slug: string) => ru.items.find((c) => c.slug === slug)
    assert.deepEqual([card('digital-literacy')?.title, card('digital-literacy')?.locale], [RU_TITLE, 'ru'])
    assert.deepEqual(card('inclusive-education')?.locale, 'kk')
  })

  it('filters by language, price and level', async () => {
    assert.deepEqual(await slugs('', { language: 'ru' }), ['digital-literacy'])
    assert.deepEqual(await slugs('', { language: 'en' }), [])
    assert.deepEqual(await slugs('', { price: 'free' }), ['digital-literacy'])
    assert.deepEqual(await slugs('', { price: 'paid' }), ['inclusive-education'])
    assert.deepEqual(await slugs('', { level: 'intermediate' }), ['inclusive-education'])
    assert.deepEqual(await slugs('цифрлық', { price: 'paid' }), [])
  })

  it('opens a published or archived course by slug with its outline; a draft or unknown slug is not found', async () => {
    const db = get().db
    const course = await f.catalogue.course(f.ctx(db, null, 'ru'), 'digital-literacy')
    assert.equal(course.id, digital)
    assert.equal(course.title, RU_TITLE)
    assert.deepEqual(
      course.modules.map((m) => [m.title, m.lessons.map((l) => l.title)]),
      [['Module ru', ['Lesson ru']]],
    )
    assert.equal((await f.catalogue.course(f.ctx(db, null), 'archived-course')).status, 'archived')
    for (const slug of ['draft-course', 'no-such-course'])
      await assert.rejects(f.catalogue.course(f.ctx(db, null), slug), CourseNotFoundError)
    assert.equal((await f.catalogue.course(f.ctx(db), 'draft-course')).status, 'draft', 'the system may preview')
    assert.ok(inclusive)
  })
})

describeEachDatabase('catalogue pages and the trigram fallback', (get) => {
  const f: LearningFixtures = learningFixtures({ trigrams: 'own' })

  before(async () => {
    // 26 courses published one minute apart: three pages of 12, 12 and 2.
    for (let i = 0; i < 26; i++) {
      const n = String(i).padStart(2, '0')
      await publishedCourse(f, get().db, courseInput({ slug: `course-${n}`, title: { kk: `Бағалау әдістері ${n}` } }))
      f.clock.advance(60_000)
    }
  })

  it('pages 12 at a time in a stable order, and says how many there are', async () => {
    const seen: string[] = []
    for (const page of [1, 2, 3]) {
      const result = await f.catalogue.browse(f.ctx(get().db, null), { page })
      assert.equal(result.total, 26)
      assert.equal(result.pageCount, 3)
      assert.equal(result.items.length, page < 3 ? PAGE_SIZE : 2)
      seen.push(...result.items.map((c) => c.slug))
    }
    assert.equal(new Set(seen).size, 26)
    assert.equal(seen[0], 'course-25', 'newest first')
    const beyond = await f.catalogue.browse(f.ctx(get().db, null), { page: 4 })
    assert.deepEqual([beyond.items.length, beyond.total], [0, 26])
  })

  it('pages search results too, and matches typos with its own trigrams', async () => {
    const found = await f.catalogue.browse(f.ctx(get().db, null), { q: 'бағалаудың әдістерін', page: 3 })
    assert.deepEqual([found.total, found.items.length, found.matchedBy], [26, 2, 'fulltext'])
    const typo = await f.catalogue.browse(f.ctx(get().db, null), { q: 'багалау' })
    assert.deepEqual([typo.total, typo.matchedBy], [26, 'typo'])
  })
})

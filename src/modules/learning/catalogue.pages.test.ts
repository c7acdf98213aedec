// The catalogue pages (issue 5): /courses searches and filters with a plain GET form, counts, pages with
// rel=prev/next and shows an empty state; /courses/<slug> shows the programme and an honest next step; 404 otherwise.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTestApp, type TestApp } from '../../../test/app'
import { createAuditLog } from '../../platform/audit/index'
import { systemCtx } from '../../platform/context'
import { createCourseService } from './courses.service'
import { courseInput } from './test-fixtures'

describe('catalogue pages', () => {
  let t: TestApp

  before(async () => {
    t = await createTestApp()
    const courses = createCourseService({ audit: createAuditLog({ clock: t.clock }) })
    const ctx = () => systemCtx(t.database.db, t.clock)
    const add = async (slug: string, over: Parameters<typeof courseInput>[0]) => {
      const input = courseInput({ slug, ...over })
      const { id } = await courses.create(ctx(), input)
      const titles = Object.fromEntries(input.languages.map((l) => [l, `Модуль ${l}`]))
      const m = await courses.addModule(ctx(), id, { titles })
      const texts = Object.fromEntries(input.languages.map((l) => [l, { title: `Сабақ ${l}`, bodyMarkdown: 'Мәтін' }]))
      await courses.addLesson(ctx(), m.id, { kind: 'text', texts, durationMinutes: 15 })
      await courses.addLesson(ctx(), m.id, { kind: 'quiz', texts, required: false })
      await courses.publish(ctx(), id)
      t.clock.advance(60_000)
    }
    await add('digital-literacy', {
      texts: {
        kk: { title: 'Цифрлық сауаттылық негіздері', summary: 'Мұғалімге арналған <b>цифрлық</b> құралдар' },
        ru: { title: 'Основы цифровой грамотности', summary: 'Цифровые инструменты учителя' },
      },
    })
    await add('assessment', { languages: ['ru'], priceKzt: 15000, title: { ru: 'Методы оценивания в обучении' } })
    for (let i = 0; i < 12; i++)
      await add(`extra-${String(i).padStart(2, '0')}`, { title: { kk: `Қосымша курс ${i}` } })
    await courses.create(ctx(), courseInput({ slug: 'secret-draft' }))
  })
  after(() => t?.close())

  const get = (url: string, locale = 'kk') => t.app.inject({ url, headers: { 'accept-language': locale } })

  it('lists published courses in the reader’s language, with count, cards and a next page (rel=next)', async () => {
    const res = await get('/courses')
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers['content-language'], 'kk')
    assert.match(res.body, /<h1 id="catalogue-title">Курстар каталогы<\/h1>/)
    assert.match(res.body, /14 курс табылды/)
    assert.equal(res.body.match(/class="course-card"/g)?.length, 12)
    assert.match(res.body, /<a class="button button-secondary" rel="next" href="\/courses\?page=2">/)
    assert.doesNotMatch(res.body, /rel="prev"/)
    assert.doesNotMatch(res.body, /secret-draft/)
    const page2 = await get('/courses?page=2')
    assert.equal(page2.body.match(/class="course-card"/g)?.length, 2)
    assert.match(page2.body, /rel="prev" href="\/courses"/)
    assert.match(page2.body, /<title>Курстар каталогы, 2-бет · /)
  })

  it('escapes course texts and labels a text in another language with its lang', async () => {
    const body = (await get('/courses?q=оценивание')).body
    assert.match(
      body,
      /<h2 class="course-card-title" id="course-[^"]+" lang="ru"><a href="\/courses\/assessment">Методы оценивания в обучении<\/a>/,
    )
    assert.match(body, /15\s000\s₸/)
    const kk = (await get('/courses?q=цифрлық')).body
    assert.match(kk, /&lt;b&gt;цифрлық&lt;\/b&gt;/)
    assert.match(kk, /Тегін/)
  })

  it('searches by inflected forms and typos, keeping the query in the form and the count', async () => {
    const ru = await get('/courses?q=%D0%B3%D1%80%D0%B0%D0%BC%D0%BE%D1%82%D0%BD%D0%BE%D1%81%D1%82%D1%8C', 'ru')
    assert.match(ru.body, /По запросу «грамотность» найден 1 курс/)
    assert.match(ru.body, /value="грамотность"/)
    assert.match(ru.body, /Основы цифровой грамотности/)
    const typo = await get(`/courses?q=${encodeURIComponent('грамотнсть')}`, 'ru')
    assert.match(typo.body, /Точных совпадений нет/)
    assert.match(typo.body, /Основы цифровой грамотности/)
  })

  it('filters with the GET form’s fields, ignores unknown values, and shows an empty state', async () => {
    const paid = await get('/courses?q=&lang=&price=paid&level=', 'en')
    assert.match(paid.body, /1 course found/)
    assert.match(paid.body, /<option value="paid" selected>Paid<\/option>/)
    assert.match(paid.body, /KZT|₸15,000/)
    assert.match(paid.body, /Clear filters/)
    const odd = await get('/courses?lang=xx&price=cheap&level=guru&page=abc', 'en')
    assert.equal(odd.statusCode, 200)
    assert.match(odd.body, /14 courses found/)
    const none = await get('/courses?q=астрономия&lang=en', 'en')
    assert.match(none.body, /0 courses found/)
    assert.match(none.body, /<h2>No courses found<\/h2>/)
    assert.match(none.body, /href="\/courses">All courses<\/a>/)
  })

  it('shows a course page with its programme, and "sign in to enrol" for a free course', async () => {
    const res = await get('/courses/digital-literacy', 'ru')
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /<h1 id="course-title">Основы цифровой грамотности<\/h1>/)
    assert.match(res.body, /Программа курса/)
    assert.match(res.body, /Модуль 1/)
    assert.match(res.body, /Сабақ ru/)
    assert.match(res.body, /Тест · необязательный/)
    assert.match(res.body, /Текст · 15 мин/)
    assert.match(res.body, /href="\/login\?next=%2Fcourses%2Fdigital-literacy">Войдите, чтобы записаться<\/a>/)
    assert.equal(res.body.match(/<h1[ >]/g)?.length, 1)
  })

  it('says honestly that a paid course cannot be bought yet, with no buy button', async () => {
    const body = (await get('/courses/assessment', 'kk')).body
    assert.match(body, /Сатып алу әзірге қолжетімсіз/)
    assert.match(body, /онлайн төлем әлі қосылмаған/)
    assert.match(body, /Бұл курс сіз таңдаған тілде жоқ/)
    assert.doesNotMatch(body, /\/login\?next/)
  })

  it('answers 404 with a page for an unknown slug and for a draft', async () => {
    for (const url of ['/courses/no-such-course', '/courses/secret-draft']) {
      const res = await t.app.inject({ url, headers: { accept: 'text/html', 'accept-language': 'ru' } })
      assert.equal(res.statusCode, 404, url)
      assert.match(res.body, /Курс не найден/)
    }
  })

  it('keeps to the strict CSP: no inline script or style; the stylesheet is a same-origin asset', async () => {
    for (const url of ['/courses', '/courses/digital-literacy']) {
      const body = (await get(url)).body
      assert.doesNotMatch(body, /<script|<style|\sstyle=|\son\w+=/i)
      assert.match(body, /<link rel="stylesheet" href="\/assets\/learning\.css\?v=[0-9a-f]{12}">/)
    }
    assert.equal((await t.app.inject({ url: '/assets/learning.css' })).statusCode, 200)
  })
})

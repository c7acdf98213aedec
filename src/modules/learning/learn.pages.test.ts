// The learner's and instructor's pages over HTTP (issue 5): enrol from the course page (anonymous → sign in and come
// back; paid → refused), the lesson player for enrolled learners only, mark as done, a quiz failed then passed with
// feedback, completion on /learn, search history only with consent, and the instructor's need-to-know view (B-3.4).
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import type { LightMyRequestResponse as Response } from 'fastify'
import { createTestApp, type TestApp } from '../../../test/app'
import { createAuditLog } from '../../platform/audit/index'
import { systemCtx, type Role } from '../../platform/context'
import { createAccountsService } from '../accounts/index'
import { createCourseService } from './courses.service'
import { createQuizService } from './quizzes.service'
import type { LearningTables } from './learning.tables'
import { courseInput, quizInput } from './test-fixtures'

const PASSWORD = 'correct horse battery'

/** A cookie-keeping browser over inject that posts forms with the CSRF token of the last page. */
function browser(t: TestApp, locale = 'ru') {
  const cookies = new Map<string, string>()
  let csrf = ''
  const headers = () => ({
    'accept-language': locale,
    ...(cookies.size ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
  })
  const remember = (res: Response) => {
    for (const c of res.cookies as { name: string; value: string }[]) cookies.set(c.name, c.value)
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)
    if (token) csrf = token[1]!
    return res
  }
  const self = {
    get: async (url: string) => remember(await t.app.inject({ method: 'GET', url, headers: headers() })),
    post: async (url: string, fields: Record<string, string | string[]> = {}) => {
      const body = new URLSearchParams()
      body.set('_csrf', csrf)
      for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x)
      return remember(
        await t.app.inject({
          method: 'POST',
          url,
          headers: { ...headers(), 'content-type': 'application/x-www-form-urlencoded' },
          payload: body.toString(),
        }),
      )
    },
    async signIn(email: string) {
      await self.get('/login')
      const res = await self.post('/login', { identifier: email, password: PASSWORD })
      assert.equal(res.statusCode, 303, 'signed in')
    },
  }
  return self
}

describe('learning pages', () => {
  let t: TestApp
  let course: { id: string; slug: string; quizId: string; lessonIds: string[] }
  let paidSlug: string
  const people: Record<string, { id: string; email: string }> = {}
  let resultUrl = ''

  before(async () => {
    t = await createTestApp({})
    const audit = createAuditLog({ clock: t.clock })
    const ctx = () => systemCtx(t.database.db, t.clock)
    const accounts = createAccountsService({ audit, crypto: t.app.services.crypto })
    for (const [name, roles] of [
      ['learner', ['learner']],
      ['other', ['learner']],
      ['teacher', ['instructor']],
      ['stranger', ['instructor']],
    ] as [string, Role[]][]) {
      const email = `${name}.${randomBytes(3).toString('hex')}@example.kz`
      const a = await accounts.createAccount(ctx(), { email, password: PASSWORD, roles })
      people[name] = { id: a.id, email }
    }
    const courses = createCourseService({ audit })
    const quizzes = createQuizService({ audit })
    const input = courseInput({
      slug: 'pedagogy-basics',
      title: { kk: 'Педагогика негіздері', ru: 'Основы педагогики' },
    })
    const { id, slug } = await courses.create(ctx(), input)
    const m = await courses.addModule(ctx(), id, { titles: { kk: 'Кіріспе', ru: 'Введение' } })
    const text = (n: string) => ({
      kk: { title: `Сабақ ${n}`, bodyMarkdown: `## Тақырып\n\nМәтін <script>alert(1)</script> **${n}**` },
      ru: { title: `Урок ${n}`, bodyMarkdown: `## Тема\n\nТекст <script>alert(1)</script> **${n}**` },
    })
    const l1 = await courses.addLesson(ctx(), m.id, { kind: 'text', texts: text('1') })
    const v = await courses.addLesson(ctx(), m.id, {
      kind: 'video',
      videoUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      required: false,
      texts: text('видео'),
    })
    const q = await courses.addLesson(ctx(), m.id, { kind: 'quiz', texts: text('тест') })
    await quizzes.setQuiz(ctx(), q.id, quizInput({ maxAttempts: 3 }))
    await courses.setInstructors(ctx(), id, [{ userId: people.teacher!.id, displayName: 'Айгүл Сейітова' }])
    await courses.publish(ctx(), id)
    course = { id, slug, quizId: q.id, lessonIds: [l1.id, v.id, q.id] }
    const paid = courseInput({ priceKzt: 20000 })
    const p = await courses.create(ctx(), paid)
    const pm = await courses.addModule(ctx(), p.id, { titles: { kk: 'М', ru: 'М' } })
    await courses.addLesson(ctx(), pm.id, { kind: 'text', texts: text('1') })
    await courses.publish(ctx(), p.id)
    paidSlug = p.slug
  })
  after(() => t?.close())

  it('sends an anonymous visitor to sign in and back; a signed-in learner enrols with a POST form', async () => {
    const anon = browser(t)
    const page = await anon.get(`/courses/${course.slug}`)
    assert.match(page.body, /href="\/login\?next=%2Fcourses%2Fpedagogy-basics">Войдите, чтобы записаться/)
    const learnAnon = await anon.get('/learn')
    assert.equal(learnAnon.statusCode, 303)
    assert.equal(learnAnon.headers.location, '/login?next=%2Flearn')
    const b = browser(t)
    await b.signIn(people.learner!.email)
    const coursePage = await b.get(`/courses/${course.slug}`)
    assert.match(coursePage.body, /<form method="post" action="\/courses\/pedagogy-basics\/enrol">/)
    const enrol = await b.post(`/courses/${course.slug}/enrol`)
    assert.equal(enrol.statusCode, 303)
    assert.equal(enrol.headers.location, '/learn/pedagogy-basics')
    const resume = await b.get('/learn/pedagogy-basics')
    assert.equal(resume.headers.location, `/learn/pedagogy-basics/lessons/${course.lessonIds[0]}`)
    const again = await b.post(`/courses/${course.slug}/enrol`)
    assert.equal(again.statusCode, 303, 're-enrolling is harmless')
    const after = await b.get(`/courses/${course.slug}`)
    assert.match(after.body, /Вы записаны на этот курс: пройдено 0%/)
    assert.match(after.body, />Продолжить<\/a>/)
  })

  it('refuses to enrol in a paid course (no pretend purchase) and keeps lessons from those not enrolled', async () => {
    const b = browser(t)
    await b.signIn(people.other!.email)
    await b.get(`/courses/${paidSlug}`)
    const paid = await t.app.inject({
      method: 'POST',
      url: `/courses/${paidSlug}/enrol`,
      headers: { accept: 'text/html' },
    })
    assert.equal(paid.statusCode, 403, 'no CSRF token, no post')
    const res = await b.post(`/courses/${paidSlug}/enrol`)
    assert.equal(res.statusCode, 409)
    assert.match(res.body, /На этот курс сейчас нельзя записаться/)
    const lesson = await b.get(`/learn/${course.slug}/lessons/${course.lessonIds[0]}`)
    assert.equal(lesson.statusCode, 403)
    assert.match(lesson.body, /Уроки открыты только записанным на курс/)
  })

  it('plays lessons: sanitized Markdown, the video in an allow-listed frame, outline with done marks, mark as done', async () => {
    const b = browser(t)
    await b.signIn(people.learner!.email)
    const first = await b.get(`/learn/${course.slug}/lessons/${course.lessonIds[0]}`)
    assert.equal(first.statusCode, 200)
    assert.match(first.body, /<h1 id="lesson-title">Урок 1<\/h1>/)
    assert.match(first.body, /<h3>Тема<\/h3>/)
    assert.match(first.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt; <strong>1<\/strong>/)
    assert.doesNotMatch(first.body, /<script>alert/)
    assert.match(first.body, /rel="next" href="\/learn\/pedagogy-basics\/lessons\//)
    const done = await b.post(`/learn/${course.slug}/lessons/${course.lessonIds[0]}/done`)
    assert.equal(done.headers.location, `/learn/pedagogy-basics/lessons/${course.lessonIds[1]}`)
    const video = await b.get(done.headers.location!)
    assert.match(video.body, /<iframe src="https:\/\/www\.youtube-nocookie\.com\/embed\/dQw4w9WgXcQ"/)
    assert.match(
      video.body,
      /<span class="done-mark" aria-hidden="true">✓<\/span><span class="visually-hidden">пройден<\/span><a href="[^"]+">Урок 1</,
    )
    const csp = String(video.headers['content-security-policy'])
    assert.match(csp, /frame-src https:\/\/www\.youtube-nocookie\.com https:\/\/player\.vimeo\.com/)
    assert.match(video.body, /Пройдено|33%|50%/)
    const my = await b.get('/learn')
    assert.match(my.body, new RegExp(`href="/learn/pedagogy-basics/lessons/${course.lessonIds[1]}"[^>]*>Продолжить`))
  })

  it('takes the quiz: fails once with feedback, passes, completes the course and shows it on /learn', async () => {
    const b = browser(t)
    await b.signIn(people.learner!.email)
    const quizUrl = `/learn/${course.slug}/lessons/${course.quizId}`
    const intro = await b.get(quizUrl)
    assert.match(intro.body, /Проходной балл: 70%/)
    assert.match(intro.body, /Попыток: 0 из 3/)
    const start = await b.post(`${quizUrl}/attempts`)
    assert.equal(start.statusCode, 303)
    const form = await b.get(quizUrl)
    const action = /<form class="quiz-form" method="post" action="([^"]+)">/.exec(form.body)?.[1]
    assert.ok(action)
    const inputs = [
      ...form.body.matchAll(
        /<input type="(radio|checkbox)" id="[^"]+" name="([^"]+)" value="([^"]+)"><label for="[^"]+">([^<]+)<\/label>/g,
      ),
    ]
    const short = /name="(a_[^"]+)" type="text"/.exec(form.body)?.[1]
    assert.ok(short)
    const pick = (labels: string[]) => {
      const out: Record<string, string[]> = {}
      for (const m of inputs) if (labels.includes(m[4]!)) out[m[2]!] = [...(out[m[2]!] ?? []), m[3]!]
      return out
    }
    const failed = await b.post(action, { ...pick(['Алматы', '2']), [short]: 'Пушкин' })
    assert.equal(failed.statusCode, 303)
    const result = await b.get(failed.headers.location!)
    assert.match(result.body, /Не сдан<\/strong> — 0 из 3 верно, 0%/)
    assert.match(result.body, /Верный ответ: <strong>Абай \/ Абай Құнанбайұлы<\/strong>/)
    assert.match(result.body, /Астана — столица с 1997 года\./)
    const twice = await b.post(action, pick(['Астана']))
    assert.equal(twice.statusCode, 409, 'a submitted attempt cannot be sent again')
    await b.post(`${quizUrl}/attempts`)
    const form2 = await b.get(quizUrl)
    const action2 = /<form class="quiz-form" method="post" action="([^"]+)">/.exec(form2.body)?.[1]
    assert.ok(action2)
    assert.notEqual(action2, action)
    inputs.splice(
      0,
      inputs.length,
      ...form2.body.matchAll(
        /<input type="(radio|checkbox)" id="[^"]+" name="([^"]+)" value="([^"]+)"><label for="[^"]+">([^<]+)<\/label>/g,
      ),
    )
    const passed = await b.post(action2, { ...pick(['Астана', '2', '7']), [short]: ' абай ' })
    const ok = await b.get(passed.headers.location!)
    assert.match(ok.body, /Сдан<\/strong> — 3 из 3 верно, 100%/)
    assert.match(ok.body, /Поздравляем: курс завершён!/)
    resultUrl = passed.headers.location!
    const my = await b.get('/learn')
    assert.match(my.body, /<h2 id="completed-title">Завершённые курсы<\/h2><ul class="learn-cards">/)
    assert.match(my.body, /Основы педагогики/)
    assert.match(my.body, /Сертификатов пока нет/)
  })

  it('keeps one learner’s attempts from another learner of the same course (B-3.4)', async () => {
    assert.ok(resultUrl)
    const b = browser(t)
    await b.signIn(people.other!.email)
    await b.get(`/courses/${course.slug}`)
    await b.post(`/courses/${course.slug}/enrol`)
    const peek = await b.get(resultUrl)
    assert.equal(peek.statusCode, 404)
    assert.doesNotMatch(peek.body, /Сдан|Астана/)
    const resubmit = await b.post(resultUrl, { x: 'y' })
    assert.equal(resubmit.statusCode, 409, 'another learner cannot submit it (it is not theirs)')
    const mine = await b.get('/learn')
    assert.doesNotMatch(mine.body, /Завершённые курсы<\/h2><ul/)
  })

  it('keeps no search history while the consent check says no (the default), and says so on /learn', async () => {
    const b = browser(t)
    await b.signIn(people.other!.email)
    await b.get(`/courses?q=${encodeURIComponent('педагогика')}`)
    const my = await b.get('/learn')
    assert.match(my.body, /История поиска не сохраняется: согласие на эту цель не дано/)
    assert.match(my.body, /Сохранённых запросов нет/)
    const n = await t.database.db
      .withTables<LearningTables>()
      .selectFrom('search_queries')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst()
    assert.equal(Number(n?.n), 0)
  })

  it('shows the course’s instructor names and progress only; another instructor and a learner get 404', async () => {
    const teacher = browser(t)
    await teacher.signIn(people.teacher!.email)
    const list = await teacher.get('/teach')
    assert.match(list.body, /href="\/teach\/pedagogy-basics">Основы педагогики/)
    const page = await teacher.get('/teach/pedagogy-basics')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Слушатели \(2\)/)
    assert.match(page.body, /100%/)
    assert.doesNotMatch(page.body, new RegExp(people.learner!.email.replace('.', '\\.')))
    assert.doesNotMatch(page.body, /@example\.kz/)
    assert.match(page.body, /Столица Казахстана\?<\/td><td>2<\/td><td>50%/)
    for (const who of ['stranger', 'learner']) {
      const b = browser(t)
      await b.signIn(people[who]!.email)
      const res = await b.get('/teach/pedagogy-basics')
      assert.equal(res.statusCode, 404, who)
      assert.doesNotMatch(res.body, /Слушатели/)
      const list = await b.get('/teach')
      if (who === 'stranger') assert.doesNotMatch(list.body, /pedagogy-basics/)
      else assert.equal(list.statusCode, 403, 'a learner teaches nothing')
    }
    const odd = await teacher.get('/learn/pedagogy-basics/lessons/------------------------------------')
    assert.equal(odd.statusCode, 400, 'a malformed lesson id is refused before the database')
  })
})

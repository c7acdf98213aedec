// Authoring pages (issue 5 "Instructors and admins", T-3.1.1): an instructor creates a course in kk and ru,
// is told every problem in their language with the input kept, builds modules and lessons (with a safe Markdown
// preview), orders them without JavaScript and by the script's JSON post, publishes, and uploads a cover that
// is re-encoded without metadata.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import sharp from 'sharp'
import { createTestApp, type TestApp } from '../../../test/app'
import { browserAs, type Browser } from './authoring.test-fixtures'

const idFrom = (location: unknown) => /\/teach\/courses\/([0-9a-f-]{36})/.exec(String(location))?.[1] ?? ''

describe('authoring pages', () => {
  let t: TestApp
  let teacher: Browser
  let courseId = ''

  before(async () => {
    t = await createTestApp()
    teacher = await browserAs(t, ['instructor'], 'kk')
  })
  after(() => t?.close())

  it('shows an empty "my courses" with a way to start', async () => {
    const res = await teacher.get('/teach/courses')
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /Сізде әзірге курс жоқ/)
    assert.match(res.body, /href="\/teach\/courses\/new"/)
  })

  it('refuses an invalid course form in the author’s language and keeps what was typed', async () => {
    await teacher.get('/teach/courses/new')
    const res = await teacher.post('/teach/courses', {
      languages: ['kk', 'ru'],
      title_kk: 'Цифрлық <сауаттылық>',
      title_ru: '',
      slug: 'Bad Slug',
      durationHours: 'ten',
      price: 'paid',
      priceKzt: '0',
      level: 'beginner',
    })
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /Мыналарды түзетіңіз/)
    assert.match(res.body, /value="Цифрлық &lt;сауаттылық&gt;"/, 'the input is kept, escaped')
    assert.match(res.body, /value="bad slug"/)
    assert.match(res.body, /3–80 кіші латын әрпін/)
    assert.match(res.body, /1-ден 2000-ға дейінгі бүтін сағат/)
    assert.match(res.body, /Кемінде 1 болатын бүтін теңге/)
    assert.match(res.body, /id="title_ru"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="title_ru"/)
  })

  it('creates a draft in kk and ru and shows what it lacks before publication', async () => {
    const res = await teacher.post('/teach/courses', {
      languages: ['kk', 'ru'],
      title_kk: 'Цифрлық сауаттылық',
      title_ru: 'Цифровая грамотность',
      summary_kk: 'Мұғалімдерге',
      slug: 'teach-digital',
      durationHours: '12',
      price: 'free',
      level: 'beginner',
    })
    assert.equal(res.statusCode, 303)
    courseId = idFrom(res.headers.location)
    const editor = await teacher.get(String(res.headers.location))
    assert.equal(editor.statusCode, 200)
    assert.match(editor.body, /Жариялау алдында курсқа мыналар керек/)
    assert.match(editor.body, /сабағы бар кемінде бір модуль/)
    const slugAgain = await teacher.post('/teach/courses', {
      languages: 'kk',
      title_kk: 'Басқа',
      slug: 'teach-digital',
      durationHours: '2',
      level: 'beginner',
    })
    assert.equal(slugAgain.statusCode, 400)
    assert.match(slugAgain.body, /Бұл мекенжайды басқа курс пайдаланып отыр/)
  })

  it('adds modules and lessons, previews Markdown with the safe renderer, and orders them', async () => {
    const base = `/teach/courses/${courseId}`
    await teacher.get(base)
    const missing = await teacher.post(`${base}/modules`, { title_kk: 'Кіріспе', title_ru: '' })
    assert.equal(missing.statusCode, 400)
    assert.match(missing.body, /value="Кіріспе"/)
    for (const [kk, ru] of [
      ['Кіріспе', 'Введение'],
      ['Құралдар', 'Инструменты'],
    ] as const)
      assert.equal((await teacher.post(`${base}/modules`, { title_kk: kk, title_ru: ru })).statusCode, 303)
    let page = await teacher.get(base)
    const moduleIds = [...page.body.matchAll(/<li class="outline-module" id="module-([0-9a-f-]{36})"/g)].map(
      (m) => m[1]!,
    )
    assert.equal(moduleIds.length, 2)

    const lessonForm = `${base}/modules/${moduleIds[0]}/lessons`
    await teacher.get(`${lessonForm}/new`)
    const body = '# Тақырып\n\n**Маңызды** <script>alert(1)</script>'
    const preview = await teacher.post(lessonForm, {
      action: 'preview',
      kind: 'text',
      required: 'yes',
      title_kk: 'Бірінші сабақ',
      body_kk: body,
      title_ru: 'Первый урок',
      body_ru: 'Текст',
    })
    assert.equal(preview.statusCode, 200)
    assert.match(preview.body, /<h2>Тақырып<\/h2>/)
    assert.match(preview.body, /<strong>Маңызды<\/strong> &lt;script&gt;/)
    assert.ok(!preview.body.includes('<script>alert'), 'raw HTML never passes')
    const video = await teacher.post(lessonForm, {
      action: 'save',
      kind: 'video',
      videoUrl: 'http://video.example.kz/1',
      title_kk: 'Бейне',
      title_ru: 'Видео',
    })
    assert.equal(video.statusCode, 400)
    assert.match(video.body, /https:\/\/ деп басталатын сілтеме/)
    const texts = { kind: 'text', required: 'yes', body_kk: 'Мәтін', body_ru: 'Текст', durationMinutes: '10' }
    for (const [kk, ru] of [
      ['Бірінші сабақ', 'Первый урок'],
      ['Екінші сабақ', 'Второй урок'],
    ] as const)
      assert.equal((await teacher.post(lessonForm, { ...texts, title_kk: kk, title_ru: ru })).statusCode, 303)

    page = await teacher.get(base)
    const lessonIds = [...page.body.matchAll(/id="lesson-([0-9a-f-]{36})"/g)].map((m) => m[1]!)
    assert.equal(lessonIds.length, 2)
    // The "move down" button of the first lesson, as a form without JavaScript posts it.
    const moved = await teacher.post(`${lessonForm}/order`, {
      order: `${lessonIds[1]},${lessonIds[0]}`,
      moved: lessonIds[0]!,
      anchor: `lesson-${lessonIds[0]}`,
    })
    assert.equal(moved.statusCode, 303)
    assert.equal(moved.headers.location, `${base}?moved=${lessonIds[0]}#lesson-${lessonIds[0]}`)
    page = await teacher.get(String(moved.headers.location))
    assert.match(page.body, /role="status" id="reorder-status">Бірінші сабақ: енді 2 ішінде 2-орында\./)
    // The drag-and-drop script posts the same endpoint and reads JSON.
    const json = await teacher.post(
      `${base}/modules/order`,
      { order: `${moduleIds[1]},${moduleIds[0]}` },
      { accept: 'application/json' },
    )
    assert.equal(json.statusCode, 200)
    assert.deepEqual(json.json(), { ok: true })
    page = await teacher.get(base)
    const order = [...page.body.matchAll(/<li class="outline-module" id="module-([0-9a-f-]{36})"/g)].map((m) => m[1])
    assert.deepEqual(order, [moduleIds[1], moduleIds[0]])
    const stale = await teacher.post(`${base}/modules/order`, { order: moduleIds[0]! })
    assert.equal(stale.statusCode, 400)
  })

  it('refuses to publish with the problems listed, then publishes; the catalogue shows the course', async () => {
    const base = `/teach/courses/${courseId}`
    await teacher.get(base)
    const refused = await teacher.post(`${base}/publish`)
    assert.equal(refused.statusCode, 409)
    assert.match(refused.body, /Курсты әзірге жариялау мүмкін емес/)
    assert.match(refused.body, /1-модульге сабақ/)
    const page = await teacher.get(base)
    const empty = /<li class="outline-module" id="module-([0-9a-f-]{36})"/.exec(page.body)![1]
    await teacher.get(`${base}/modules/${empty}/delete`)
    assert.equal((await teacher.post(`${base}/modules/${empty}/delete`)).statusCode, 303)
    await teacher.get(base)
    assert.equal((await teacher.post(`${base}/publish`)).headers.location, `${base}?done=published`)
    const catalogue = await teacher.get('/courses')
    assert.match(catalogue.body, /Цифрлық сауаттылық/)
    const after = await teacher.get(base)
    const lesson = /id="lesson-([0-9a-f-]{36})"/.exec(after.body)![1]
    assert.ok(!after.body.includes('/delete"'), 'no delete links once published')
    const confirm = await teacher.get(`${base}/lessons/${lesson}/delete`)
    assert.equal(confirm.statusCode, 409)
    assert.match(confirm.body, /Тек жоба курстың модульдері мен сабақтарын жоюға болады/)
    assert.equal((await teacher.post(`${base}/lessons/${lesson}/delete`)).statusCode, 409)
    const details = await teacher.get(`${base}/details`)
    assert.match(details.body, /мекенжайы өзгермейді/)
  })

  it('takes a cover picture: sniffed from the bytes, re-encoded to a 1200×675 WebP without metadata', async () => {
    const base = `/teach/courses/${courseId}`
    await teacher.get(`${base}/cover`)
    const photo = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#3a7' } })
      .jpeg()
      .withExif({ IFD0: { Artist: 'Secret Person', Copyright: 'GPS 43.2,76.9' } })
      .toBuffer()
    assert.ok(photo.includes(Buffer.from('Secret Person')))
    const res = await teacher.upload(`${base}/cover`, 'cover', photo, 'application/octet-stream')
    assert.equal(res.statusCode, 303, res.body.slice(0, 300))
    const editor = await teacher.get(base)
    const src = /<img class="cover-preview" src="([^"]+)"/.exec(editor.body)![1]!
    const image = await t.app.inject({ method: 'GET', url: src })
    assert.equal(image.statusCode, 200)
    assert.equal(image.headers['content-type'], 'image/webp')
    assert.equal(image.headers['x-content-type-options'], 'nosniff')
    const meta = await sharp(image.rawPayload).metadata()
    assert.deepEqual([meta.format, meta.width, meta.height, meta.exif], ['webp', 1200, 675, undefined])
    assert.ok(!image.rawPayload.includes(Buffer.from('Secret Person')))
    const coursePage = await t.app.inject({ method: 'GET', url: '/courses/teach-digital' })
    assert.ok(coursePage.body.includes(`<img class="course-cover" src="${src}"`), 'the course page shows the cover')

    await teacher.get(`${base}/cover`)
    const fake = await teacher.upload(`${base}/cover`, 'cover', Buffer.from('%PDF-1.7 not a picture'), 'image/png')
    assert.equal(fake.statusCode, 400)
    assert.match(fake.body, /Бұл файл JPEG, PNG немесе WebP суреті емес/)
  })

  it('attaches files to a lesson: typed by their bytes, downloaded as attachments by the course’s learners only', async () => {
    const base = `/teach/courses/${courseId}`
    const editor = await teacher.get(base)
    const lessonId = /id="lesson-([0-9a-f-]{36})"/.exec(editor.body)![1]
    const lessonPage = `${base}/lessons/${lessonId}`
    await teacher.get(lessonPage)
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n')
    const added = await teacher.upload(
      `${lessonPage}/attachments`,
      'file',
      pdf,
      'application/octet-stream',
      'Жоспар <1>.exe',
    )
    assert.equal(added.statusCode, 303, added.body.slice(0, 200))
    const page = await teacher.get(String(added.headers.location))
    assert.match(page.body, /Файл қосылды/)
    const href = /<a href="(\/media\/files\/[0-9a-f-]{36})" download>Жоспар 1\.pdf<\/a>/.exec(page.body)?.[1]
    assert.ok(href, 'the file is listed under its safe name')
    assert.match((await teacher.get(base)).body, /1 файл/)

    // Only the course's learners (and its authors) download its files.
    const learner = await browserAs(t, ['learner'], 'ru')
    assert.equal((await learner.get(href)).statusCode, 404, 'not enrolled yet')
    await learner.get('/courses/teach-digital')
    assert.equal((await learner.post('/courses/teach-digital/enrol')).statusCode, 303)
    const player = await learner.get(`/learn/teach-digital/lessons/${lessonId}`)
    assert.equal(player.statusCode, 200)
    assert.match(player.body, /Файлы урока/)
    assert.ok(player.body.includes(`href="${href}" download>Жоспар 1.pdf</a>`), 'the lesson lists its file')
    const download = await learner.get(href)
    assert.equal(download.statusCode, 200)
    assert.equal(download.headers['content-type'], 'application/pdf')
    assert.equal(download.headers['x-content-type-options'], 'nosniff')
    assert.match(
      String(download.headers['content-disposition']),
      /^attachment; filename="______ 1\.pdf"; filename\*=UTF-8''/,
    )
    assert.deepEqual(download.rawPayload, pdf)
    const anonymous = await t.app.inject({ method: 'GET', url: href })
    assert.equal(anonymous.statusCode, 303, 'sign in first')

    await teacher.get(lessonPage)
    const html = Buffer.from('<!doctype html><script>alert(1)</script>')
    const refused = await teacher.upload(`${lessonPage}/attachments`, 'file', html, 'application/pdf', 'notes.pdf')
    assert.equal(refused.statusCode, 400)
    assert.match(refused.body, /Бұл файл PDF, DOCX, PPTX, XLSX, ZIP, PNG немесе JPEG емес/)

    const fileId = href.split('/').pop()!
    const other = await browserAs(t, ['instructor'])
    await other.get('/teach/courses')
    assert.equal((await other.post(`${base}/attachments/${fileId}/delete`)).statusCode, 404)
    await teacher.get(lessonPage)
    assert.equal((await teacher.post(`${base}/attachments/${fileId}/delete`)).statusCode, 303)
    assert.equal((await learner.get(href)).statusCode, 404)
  })

  it('names instructors (linking only the author’s own account), keeps a published course complete, archives after asking', async () => {
    const base = `/teach/courses/${courseId}`
    const form = await teacher.get(`${base}/instructors`)
    assert.match(form.body, /<option value="self">Менің тіркелгім<\/option>/)
    const tooLong = await teacher.post(`${base}/instructors`, { name_0: 'А'.repeat(121), link_0: 'self' })
    assert.equal(tooLong.statusCode, 400)
    assert.match(tooLong.body, /Тым ұзын/)
    // A forged link value names no account: the row is saved as a name only.
    const saved = await teacher.post(`${base}/instructors`, {
      name_0: 'Айгүл Серікқызы',
      link_0: 'self',
      name_1: 'Қонақ оқытушы',
      link_1: `keep:7`,
      name_2: '',
    })
    assert.equal(saved.statusCode, 303)
    const rows = await t.database.db
      .withTables<{
        course_instructors: { course_id: string; user_id: string | null; display_name: string; position: number }
      }>()
      .selectFrom('course_instructors')
      .select(['user_id', 'display_name'])
      .where('course_id', '=', courseId)
      .orderBy('position')
      .execute()
    assert.deepEqual(rows, [
      { user_id: teacher.id, display_name: 'Айгүл Серікқызы' },
      { user_id: null, display_name: 'Қонақ оқытушы' },
    ])
    assert.match((await teacher.get('/courses/teach-digital')).body, /Айгүл Серікқызы/)

    // The course is published in kk and ru: declaring English needs English module and lesson titles first.
    await teacher.get(`${base}/details`)
    const english = await teacher.post(`${base}/details`, {
      languages: ['kk', 'ru', 'en'],
      title_kk: 'Цифрлық сауаттылық',
      title_ru: 'Цифровая грамотность',
      title_en: 'Digital literacy',
      slug: 'another-address',
      durationHours: '14',
      price: 'free',
      level: 'intermediate',
    })
    assert.equal(english.statusCode, 400)
    assert.match(english.body, /алдымен жаңа тілде модульдер мен сабақтардың атауларын қосыңыз/)
    assert.match(english.body, /value="Digital literacy"/)
    const hours = await teacher.post(`${base}/details`, {
      languages: ['kk', 'ru'],
      title_kk: 'Цифрлық сауаттылық',
      title_ru: 'Цифровая грамотность',
      slug: 'another-address',
      durationHours: '14',
      price: 'paid',
      priceKzt: '15 000',
      level: 'intermediate',
    })
    assert.equal(hours.statusCode, 303, 'the frozen address is kept, whatever the form says')
    const page = await teacher.get('/courses/teach-digital')
    assert.match(page.body, /14 сағат/)
    assert.match(page.body, /15\s000\s₸/)

    const confirm = await teacher.get(`${base}/archive`)
    assert.equal(confirm.statusCode, 200)
    assert.match(confirm.body, /Курсты мұрағатқа жіберу керек пе\?/)
    assert.equal((await teacher.post(`${base}/archive`)).headers.location, `${base}?done=archived`)
    assert.ok(!(await teacher.get('/courses')).body.includes('teach-digital'), 'out of the catalogue')
    assert.match((await teacher.get(base)).body, /Қайта жариялау/)
  })
})

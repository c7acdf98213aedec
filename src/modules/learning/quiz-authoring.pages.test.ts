// The quiz editor over HTTP (issue 5 "Instructors and admins", T-3.1.1), on both databases: an instructor adds a
// single-choice and a short-answer question in kk and ru, is told every problem in their language with the input
// kept (and nothing saved), sets the pass mark, reorders without JavaScript and by the script's JSON post, edits and
// deletes questions; a learner then takes the quiz with those questions in the lesson player.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTestApp, type TestApp } from '../../../test/app'
import { databaseKinds } from '../../../test/database'
import { createAuditLog } from '../../platform/audit/index'
import { systemCtx, type Role } from '../../platform/context'
import { browserAs, type Browser } from './authoring.test-fixtures'
import { createCourseService } from './courses.service'
import { courseInput } from './test-fixtures'

const questionIds = (body: string) =>
  [...body.matchAll(/<li class="outline-item quiz-item" id="question-([0-9a-f-]{36})"/g)].map((m) => m[1]!)

for (const kind of databaseKinds())
  describe(`quiz editor pages [${kind}]`, () => {
    let t: TestApp
    let teacher: Browser
    let course: { id: string; slug: string; quizId: string; textId: string }
    let quizUrl = ''

    async function auditCount(): Promise<number> {
      const row = await t.database.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('target_id', '=', course.id)
        .executeTakeFirstOrThrow()
      return Number(row.n)
    }

    before(async () => {
      t = await createTestApp({ kind, env: { OQU_RATE_LIMIT: '100000' } })
      teacher = await browserAs(t, ['instructor'], 'kk')
      const courses = createCourseService({ audit: createAuditLog({ clock: t.clock }) })
      const ctx = {
        ...systemCtx(t.database.db, t.clock),
        actor: { kind: 'user' as const, id: teacher.id!, roles: ['instructor' as Role] },
      }
      const input = courseInput({ languages: ['kk', 'ru'] })
      const { id, slug } = await courses.create(ctx, input)
      const { id: moduleId } = await courses.addModule(ctx, id, { titles: { kk: 'Модуль', ru: 'Модуль' } })
      const text = await courses.addLesson(ctx, moduleId, {
        kind: 'text',
        texts: { kk: { title: 'Кіріспе', bodyMarkdown: 'Мәтін' }, ru: { title: 'Введение', bodyMarkdown: 'Текст' } },
      })
      const quiz = await courses.addLesson(ctx, moduleId, {
        kind: 'quiz',
        texts: { kk: { title: 'Қорытынды тест', bodyMarkdown: '' }, ru: { title: 'Итоговый тест', bodyMarkdown: '' } },
      })
      course = { id, slug, quizId: quiz.id, textId: text.id }
      quizUrl = `/teach/courses/${id}/lessons/${quiz.id}/quiz`
    })
    after(() => t?.close())

    it('links a quiz lesson to its editor, which starts empty; other lessons have none', async () => {
      const editor = await teacher.get(`/teach/courses/${course.id}`)
      assert.match(editor.body, new RegExp(`href="${quizUrl}"`))
      const lessonForm = await teacher.get(`/teach/courses/${course.id}/lessons/${course.quizId}`)
      assert.match(lessonForm.body, new RegExp(`href="${quizUrl}"`))
      const page = await teacher.get(quizUrl)
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /Бұл тестте әлі сұрақ жоқ/)
      assert.match(page.body, /Әдепкі өту шегі — 70%/)
      assert.ok(!page.body.includes('name="passPercent"'), 'settings wait for the first question')
      for (const k of ['single', 'multiple', 'short']) assert.match(page.body, new RegExp(`questions/new\\?kind=${k}"`))
      const text = await teacher.get(`/teach/courses/${course.id}/lessons/${course.textId}/quiz`)
      assert.equal(text.statusCode, 404)
    })

    it('refuses a bad question in the author’s language, keeps what was typed, and saves nothing', async () => {
      const before = await auditCount()
      const form = await teacher.get(`${quizUrl}/questions/new?kind=single`)
      assert.equal(form.statusCode, 200)
      for (const name of ['prompt_kk', 'prompt_ru', 'option_0_kk', 'option_0_ru', 'correct_3'])
        assert.match(form.body, new RegExp(`name="${name}"`))
      const res = await teacher.post(`${quizUrl}/questions`, {
        action: 'save',
        kind: 'single',
        rows: '4',
        prompt_kk: 'Астана <b>қай</b> жылы?',
        prompt_ru: '',
        option_0_kk: '1997',
        option_0_ru: '1997',
        correct_0: 'yes',
        option_1_kk: '1991',
        option_1_ru: '',
        option_2_kk: '2001',
        option_2_ru: '2001',
        correct_2: 'yes',
      })
      assert.equal(res.statusCode, 400)
      assert.match(res.body, /Мыналарды түзетіңіз/)
      assert.ok(res.body.includes('Астана &lt;b&gt;қай&lt;/b&gt; жылы?</textarea>'), 'the prompt is kept, escaped')
      assert.match(res.body, /Сұрақ мәтінін курстың әр тілінде жазыңыз/)
      assert.match(res.body, /Бір жауапты сұрақта дәл бір дұрыс нұсқаны белгілеңіз/)
      assert.match(res.body, /id="option_1_ru"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="option_1_ru"/)
      assert.match(res.body, /id="prompt_ru"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="prompt_ru"/)
      assert.match(res.body, /name="correct_2" value="yes" checked/)
      assert.match(res.body, /href="#option_1_ru"/)
      assert.equal(await auditCount(), before, 'nothing saved')
      // "More options" shows the same form with two more rows.
      const more = await teacher.post(`${quizUrl}/questions`, {
        action: 'more',
        kind: 'single',
        rows: '2',
        option_1_kk: 'B',
      })
      assert.equal(more.statusCode, 200)
      assert.match(more.body, /name="rows" value="4"/)
      assert.match(more.body, /id="option_1_kk"[^>]*value="B"/)
      assert.equal(await auditCount(), before)
    })

    it('adds a single-choice and a short-answer question, and sets the pass mark', async () => {
      await teacher.get(`${quizUrl}/questions/new?kind=single`)
      const a = await teacher.post(`${quizUrl}/questions`, {
        action: 'save',
        kind: 'single',
        rows: '4',
        prompt_kk: 'Астана қай жылы елорда болды?',
        prompt_ru: 'В каком году Астана стала столицей?',
        explanation_ru: 'В 1997 году.',
        option_0_kk: '1997',
        option_0_ru: '1997',
        correct_0: 'yes',
        option_1_kk: '1991',
        option_1_ru: '1991',
      })
      assert.equal(a.statusCode, 303)
      assert.match(String(a.headers.location), /\/quiz\?done=quiz_question_added#question-[0-9a-f-]{36}$/)
      await teacher.get(`${quizUrl}/questions/new?kind=short`)
      const b = await teacher.post(`${quizUrl}/questions`, {
        action: 'save',
        kind: 'short',
        prompt_kk: 'Қазақтың ұлы ақыны?',
        prompt_ru: 'Великий казахский поэт?',
        accepted: 'Абай\r\nАбай Құнанбайұлы\r\n',
      })
      assert.equal(b.statusCode, 303)
      const page = await teacher.get(String(b.headers.location))
      assert.match(page.body, /Сұрақ қосылды/)
      assert.equal(questionIds(page.body).length, 2)
      assert.match(page.body, /Қабылданатын жауаптар: Абай \/ Абай Құнанбайұлы/)

      const bad = await teacher.post(`${quizUrl}/settings`, { passPercent: '101', maxAttempts: 'көп' })
      assert.equal(bad.statusCode, 400)
      assert.match(bad.body, /0-ден 100-ге дейінгі бүтін пайызды көрсетіңіз/)
      assert.match(bad.body, /1-ден 100-ге дейінгі бүтін санды көрсетіңіз/)
      assert.match(bad.body, /id="passPercent"[^>]*value="101"/)
      assert.match(bad.body, /id="maxAttempts"[^>]*value="көп"/)
      const ok = await teacher.post(`${quizUrl}/settings`, {
        passPercent: '50',
        maxAttempts: '3',
        shuffleOptions: 'yes',
      })
      assert.equal(ok.statusCode, 303)
      const saved = await teacher.get(String(ok.headers.location))
      assert.match(saved.body, /Тест баптаулары сақталды/)
      assert.match(saved.body, /id="passPercent"[^>]*value="50"/)
      assert.match(saved.body, /id="maxAttempts"[^>]*value="3"/)
      assert.match(saved.body, /name="shuffleOptions" value="yes" checked/)
    })

    it('reorders by the move buttons and by the script’s post, keeping the questions’ ids', async () => {
      let page = await teacher.get(quizUrl)
      const [first, second] = questionIds(page.body)
      const res = await teacher.post(`${quizUrl}/questions/order`, {
        order: `${second},${first}`,
        moved: first!,
        anchor: `question-${first}`,
      })
      assert.equal(res.statusCode, 303)
      assert.equal(res.headers.location, `${quizUrl}?moved=${first}#question-${first}`)
      page = await teacher.get(String(res.headers.location))
      assert.deepEqual(questionIds(page.body), [second, first])
      assert.match(page.body, /id="reorder-status">Астана қай жылы елорда болды\?: енді 2 ішінде 2-орында/)
      const json = await teacher.post(
        `${quizUrl}/questions/order`,
        { order: `${first},${second}`, moved: first! },
        { accept: 'application/json' },
      )
      assert.deepEqual(json.json(), { ok: true })
      assert.deepEqual(questionIds((await teacher.get(quizUrl)).body), [first, second])
      const wrong = await teacher.post(`${quizUrl}/questions/order`, { order: `${first}` })
      assert.equal(wrong.statusCode, 400)
    })

    it('edits a question with its values in the form, in Russian too, and deletes one after asking', async () => {
      let page = await teacher.get(quizUrl)
      const [single, short] = questionIds(page.body)
      const form = await teacher.get(`${quizUrl}/questions/${single}`)
      assert.equal(form.statusCode, 200)
      assert.match(form.body, /id="option_0_ru"[^>]*value="1997"/)
      assert.match(form.body, /name="correct_0" value="yes" checked/)
      assert.match(form.body, /В 1997 году\.<\/textarea>/)
      const ru = await browserAs(t, ['admin'], 'ru')
      await ru.get(`${quizUrl}/questions/${single}`)
      const refused = await ru.post(`${quizUrl}/questions/${single}`, {
        action: 'save',
        kind: 'multiple',
        rows: '2',
        prompt_kk: 'Жай сандар?',
        prompt_ru: 'Простые числа?',
        option_0_kk: '2',
        option_0_ru: '2',
        option_1_kk: '4',
        option_1_ru: '4',
      })
      assert.equal(refused.statusCode, 400)
      assert.match(refused.body, /Отметьте хотя бы один правильный вариант/)
      const saved = await ru.post(`${quizUrl}/questions/${single}`, {
        action: 'save',
        kind: 'multiple',
        rows: '3',
        prompt_kk: 'Жай сандар?',
        prompt_ru: 'Простые числа?',
        option_0_kk: '2',
        option_0_ru: '2',
        correct_0: 'yes',
        option_1_kk: '4',
        option_1_ru: '4',
        option_2_kk: '7',
        option_2_ru: '7',
        correct_2: 'yes',
      })
      assert.equal(saved.statusCode, 303)
      page = await teacher.get(quizUrl)
      const ids = questionIds(page.body)
      assert.equal(ids[1], short, 'the unchanged question keeps its id')
      assert.notEqual(ids[0], single, 'a changed question is a new question')
      assert.match(page.body, /Бірнеше дұрыс жауап/)

      const confirm = await teacher.get(`${quizUrl}/questions/${short}/delete`)
      assert.equal(confirm.statusCode, 200)
      assert.match(confirm.body, /«Қазақтың ұлы ақыны\?» сұрағы жойылсын ба/)
      const gone = await teacher.post(`${quizUrl}/questions/${short}/delete`)
      assert.equal(gone.statusCode, 303)
      assert.equal((await teacher.get(`${quizUrl}/questions/${short}`)).statusCode, 404)
      const last = await teacher.post(`${quizUrl}/questions/${ids[0]}/delete`)
      assert.equal(last.statusCode, 409)
      assert.match(last.body, /Тестте кемінде бір сұрақ болуы керек/)
      assert.equal(questionIds(last.body).length, 1)
    })

    it('shows a learner the questions the instructor wrote in the lesson player', async () => {
      await teacher.get(`${quizUrl}/questions/new?kind=short`)
      const added = await teacher.post(`${quizUrl}/questions`, {
        action: 'save',
        kind: 'short',
        prompt_kk: 'Қазақтың ұлы ақыны?',
        prompt_ru: 'Великий казахский поэт?',
        accepted: 'Абай',
      })
      assert.equal(added.statusCode, 303)
      await teacher.get(`/teach/courses/${course.id}`)
      assert.equal((await teacher.post(`/teach/courses/${course.id}/publish`)).statusCode, 303)
      const learner = await browserAs(t, ['learner'], 'ru')
      await learner.get(`/courses/${course.slug}`)
      assert.equal((await learner.post(`/courses/${course.slug}/enrol`)).statusCode, 303)
      const lesson = `/learn/${course.slug}/lessons/${course.quizId}`
      const before = await learner.get(lesson)
      assert.match(before.body, /2 вопроса/)
      assert.match(before.body, /Проходной балл: 50\s?%/)
      const started = await learner.post(`${lesson}/attempts`)
      assert.equal(started.statusCode, 303)
      const open = await learner.get(lesson)
      assert.match(open.body, /Простые числа\?/)
      assert.match(open.body, /Великий казахский поэт\?/)
      assert.match(open.body, /type="checkbox"[^>]*name="a_/)
    })
  })

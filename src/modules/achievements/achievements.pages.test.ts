// Issue 5: "/verify/<code> confirms a certificate without revealing more than the certificate itself
// shows", "an unknown code answers 404 with a clear page", "a certificate can be revoked by an admin,
// and the page then says so"; the PDF opens for its holder or an admin only (B-3.4 need-to-know).
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, it } from 'node:test'
import { PDFDocument } from 'pdf-lib'
import { createTestApp, type TestApp } from '../../../test/app'
import { describeEachDatabase } from '../../../test/database'
import { ROLES } from '../accounts/index'
import { createCourseService } from '../learning/index'
import { inTransaction, systemCtx } from '../../platform/context'
import { auditEntries, client, createNamedPerson, fullNameOf, KAZAKH_NAME, type Person } from './test-fixtures'

describeEachDatabase(
  'achievements pages',
  (get) => {
    let t: TestApp
    let learner: Person
    let other: Person
    let admin: Person
    let code: string

    before(async () => {
      t = await createTestApp({ kind: get().kind })
      const services = t.app.services
      learner = await createNamedPerson(services, t.database.db, t.clock)
      other = await createNamedPerson(services, t.database.db, t.clock, ['learner'], { userName: 'other_teacher' })
      admin = await createNamedPerson(services, t.database.db, t.clock, ['admin'], null)
      const courses = createCourseService({ audit: services.audit })
      const ctx = systemCtx(t.database.db, t.clock)
      const { id: courseId } = await courses.create(ctx, {
        slug: 'inclusive-education',
        languages: ['kk', 'ru'],
        level: 'beginner',
        durationHours: 36,
        priceKzt: null,
        texts: {
          kk: { title: 'Инклюзивті білім беру', summary: 'Қысқаша' },
          ru: { title: 'Инклюзивное образование', summary: 'Кратко' },
        },
      })
      const learnerCtx = { ...ctx, actor: learner.actor }
      await inTransaction(learnerCtx, (tx) =>
        services.achievements.onLearningEvent(tx, {
          type: 'course_completed',
          userId: learner.id,
          courseId,
          enrolmentId: randomUUID(),
          at: t.clock.now(),
        }),
      )
      const view = await services.achievements.forLearner(learnerCtx, learner.id, 'kk')
      code = view.certificates[0]!.code
    })
    after(async () => t?.close())

    it('GET /verify offers the form; a malformed code keeps what was typed and says why; a valid one goes to its page', async () => {
      const browser = client(t.app, 'en')
      const start = await browser.get('/verify')
      assert.equal(start.statusCode, 200)
      assert.match(start.body, /<label class="ach-label" for="code">Certificate code<\/label>/)
      const bad = await browser.get('/verify?code=OQU-12')
      assert.equal(bad.statusCode, 400)
      assert.match(bad.body, /value="OQU-12"/)
      assert.match(bad.body, /aria-invalid="true"/)
      assert.match(bad.body, /This is not a certificate code/)
      const good = await browser.get(`/verify?code=${encodeURIComponent(code.toLowerCase())}`)
      assert.equal(good.statusCode, 303)
      assert.equal(good.headers.location, `/verify/${code}`)
    })

    it('GET /verify/<code> confirms the certificate with what it shows, in kk and ru, unindexed and uncached', async () => {
      const kk = await client(t.app, 'kk').get(`/verify/${code}`)
      assert.equal(kk.statusCode, 200)
      assert.match(kk.body, /Сертификат жарамды/)
      for (const shown of [
        fullNameOf(KAZAKH_NAME),
        'Инклюзивті білім беру',
        'Инклюзивное образование',
        '36 сағат',
        code,
      ]) {
        assert.ok(kk.body.includes(shown), shown)
      }
      assert.ok(kk.body.includes('«Talap» коммерциялық емес акционерлік қоғамы'))
      assert.equal(kk.headers['x-robots-tag'], 'noindex, nofollow')
      assert.equal(kk.headers['cache-control'], 'no-store')
      // Nothing the certificate does not show: no account id, no e-mail.
      assert.ok(!kk.body.includes(learner.id))
      assert.ok(!kk.body.includes(learner.email))
      const ru = await client(t.app, 'ru').get(`/verify/${code}`)
      assert.match(ru.body, /Сертификат действителен/)
      assert.match(ru.body, /36 часов/)
      const lower = await client(t.app, 'ru').get(`/verify/${code.toLowerCase()}`)
      assert.equal(lower.statusCode, 301)
      assert.equal(lower.headers.location, `/verify/${code}`)
    })

    it('an unknown and a malformed code get the same clear 404 page', async () => {
      const browser = client(t.app, 'en')
      const unknown = await browser.get('/verify/OQU-2222-3333-4444')
      const malformed = await browser.get('/verify/hello-world')
      for (const res of [unknown, malformed]) {
        assert.equal(res.statusCode, 404)
        assert.match(res.body, /<h1 id="verify-title">No certificate with this code<\/h1>/)
        assert.match(res.body, /name="code"/)
      }
      const main = (body: string) => /<main[\s\S]*<\/main>/.exec(body)![0]
      assert.equal(main(unknown.body), main(malformed.body), 'nothing tells the two apart')
    })

    it('the PDF downloads for its holder and an admin; another learner gets 404, a visitor the sign-in page', async () => {
      const owner = client(t.app)
      await owner.signIn(learner.email)
      const res = await owner.get(`/learn/certificates/${code}.pdf`)
      assert.equal(res.statusCode, 200)
      assert.equal(res.headers['content-type'], 'application/pdf')
      assert.equal(res.headers['content-disposition'], `attachment; filename="certificate-${code}.pdf"`)
      const doc = await PDFDocument.load(res.rawPayload)
      assert.equal(doc.getTitle(), `СЕРТИФИКАТ ${code}`)

      const stranger = client(t.app)
      await stranger.signIn(other.email)
      assert.equal((await stranger.get(`/learn/certificates/${code}.pdf`)).statusCode, 404)
      assert.equal((await stranger.get('/learn/certificates/OQU-2222-3333-4444.pdf')).statusCode, 404)
      const visitor = await client(t.app).get(`/learn/certificates/${code}.pdf`)
      assert.equal(visitor.statusCode, 303)
      assert.match(String(visitor.headers.location), /^\/login\?next=/)

      const staff = client(t.app)
      await staff.signIn(admin.email)
      assert.equal((await staff.get(`/learn/certificates/${code}.pdf`)).statusCode, 200)
      const downloads = await auditEntries(t.database.db, 'certificate.downloaded', learner.id)
      assert.equal(downloads.length, 1, "only the admin's download is a staff access")
      assert.equal(downloads[0]!.actor_id, admin.id)
    })

    it('/learn/achievements shows the learner their own badges and certificates, and another learner only theirs', async () => {
      const owner = client(t.app, 'ru')
      await owner.signIn(learner.email)
      const mine = await owner.get('/learn/achievements')
      assert.equal(mine.statusCode, 200)
      assert.match(mine.body, /<h1>Мои достижения<\/h1>/)
      assert.ok(mine.body.includes('Курс завершён'), 'the first-course badge')
      assert.ok(mine.body.includes(`href="/learn/certificates/${code}.pdf"`))
      assert.ok(mine.body.includes('Инклюзивное образование'))
      const stranger = client(t.app, 'ru')
      await stranger.signIn(other.email)
      const theirs = await stranger.get('/learn/achievements')
      assert.equal(theirs.statusCode, 200)
      assert.ok(!theirs.body.includes(code), "nothing of the other learner's certificate")
      assert.match(theirs.body, /Сертификатов пока нет/)
      assert.match(theirs.body, /Значков пока нет/)
      const visitor = await client(t.app).get('/learn/achievements')
      assert.equal(visitor.statusCode, 303)
    })

    it('as every role: only the holder and an admin get the PDF, only an admin the staff page', async () => {
      for (const role of ROLES) {
        const person = await createNamedPerson(t.app.services, t.database.db, t.clock, [role])
        const browser = client(t.app)
        await browser.signIn(person.email)
        const staffOnly = role === 'admin' ? 200 : 404
        assert.equal((await browser.get(`/learn/certificates/${code}.pdf`)).statusCode, staffOnly, `${role} PDF`)
        assert.equal((await browser.get(`/admin/certificates/${code}`)).statusCode, staffOnly, `${role} staff page`)
        assert.equal((await browser.get(`/verify/${code}`)).statusCode, 200, `${role} public check`)
      }
    })

    it('a learner cannot open the admin page or revoke; the certificate stays valid', async () => {
      const browser = client(t.app)
      await browser.signIn(learner.email)
      assert.equal((await browser.get(`/admin/certificates/${code}`)).statusCode, 404)
      await browser.get('/verify') // a page with a form token is not needed: the route refuses first
      const res = await browser.post(`/admin/certificates/${code}/revoke`, { reason: 'mine', confirm: 'yes' })
      assert.ok([403, 404].includes(res.statusCode), String(res.statusCode))
      assert.match((await client(t.app).get(`/verify/${code}`)).body, /Сертификат жарамды/)
    })

    it('an admin revokes with a reason and a confirmation; the public page then says revoked, with the date, without the reason', async () => {
      const staff = client(t.app, 'ru')
      await staff.signIn(admin.email)
      const pageRes = await staff.get(`/admin/certificates/${code}`)
      assert.equal(pageRes.statusCode, 200)
      assert.ok(pageRes.body.includes(learner.id), 'the holder account id for staff')
      assert.match(pageRes.body, /Отозвать сертификат/)

      const noCsrf = await staff.post(`/admin/certificates/${code}/revoke`, { reason: 'x', confirm: 'yes' }, false)
      assert.equal(noCsrf.statusCode, 403, 'a post without the form token is refused')

      const unconfirmed = await staff.post(`/admin/certificates/${code}/revoke`, { reason: 'Ошибка в журнале оценок' })
      assert.equal(unconfirmed.statusCode, 400)
      assert.match(unconfirmed.body, /Отметьте флажок, чтобы подтвердить/)
      assert.match(unconfirmed.body, />Ошибка в журнале оценок<\/textarea>/, 'the typed reason is kept')
      const reasonless = await staff.post(`/admin/certificates/${code}/revoke`, { reason: ' ', confirm: 'yes' })
      assert.equal(reasonless.statusCode, 400)
      assert.match(reasonless.body, /Укажите причину отзыва/)
      assert.equal((await t.app.services.achievements.verify(t.database.db, code))!.revokedAt, null)

      t.clock.advance(20 * 60_000)
      const today = new Intl.DateTimeFormat('ru', { dateStyle: 'long', timeZone: 'Asia/Almaty' }).format(t.clock.now())
      const done = await staff.post(`/admin/certificates/${code}/revoke`, {
        reason: 'Ошибка в журнале оценок',
        confirm: 'yes',
      })
      assert.equal(done.statusCode, 303)
      assert.equal(done.headers.location, `/admin/certificates/${code}?done=revoked`)
      const after = await staff.get(String(done.headers.location))
      assert.match(after.body, /Сертификат отозван\./)
      assert.match(after.body, /Ошибка в журнале оценок/)
      assert.doesNotMatch(after.body, /<form class="ach-card revoke-form"/)

      const publicPage = await client(t.app, 'ru').get(`/verify/${code}`)
      assert.equal(publicPage.statusCode, 200)
      assert.match(publicPage.body, /<h1 id="verify-title">Сертификат отозван<\/h1>/)
      assert.ok(publicPage.body.includes(`Оператор отозвал этот сертификат ${today}`))
      assert.ok(!publicPage.body.includes('Ошибка в журнале'), 'the reason is not public')
      const kk = await client(t.app, 'kk').get(`/verify/${code}`)
      assert.match(kk.body, /Сертификат кері қайтарылды/)
      assert.equal((await auditEntries(t.database.db, 'certificate.revoked', learner.id)).length, 1)
    })
  },
  { pages: true },
)

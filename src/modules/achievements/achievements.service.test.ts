// T-4.5.2 (achievements and completion documents are kept), issue 5 "certificates" and "badges":
// one certificate per completed enrolment, badges once each, verify/revoke, erasure by crypto-shredding.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { before, describe, it } from 'node:test'
import { describeEachDatabase } from '../../../test/database'
import { inTransaction } from '../../platform/context'
import {
  AchievementsNotAllowedError,
  AlreadyRevokedError,
  CertificateNotFoundError,
  RevocationReasonRequiredError,
} from './achievements.errors'
import type { LearningEvent } from './achievements.ports'
import { CODE_ALPHABET, newCertificateCode, normaliseCertificateCode } from './certificate-codes'
import { achievementsHarness, auditEntries, fullNameOf, KAZAKH_NAME, type Harness, type Person } from './test-fixtures'

const CODE =
  /^OQU-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}$/

describe('certificate codes', () => {
  it('are OQU- and three groups of four from an alphabet without look-alikes, and differ', () => {
    const codes = new Set(Array.from({ length: 200 }, () => newCertificateCode()))
    assert.equal(codes.size, 200)
    for (const c of codes) assert.match(c, CODE)
    for (const ch of '01OILU') assert.ok(!CODE_ALPHABET.includes(ch), `${ch} is ambiguous`)
  })

  it('normalise what people type: case, spaces, missing hyphens or prefix; refuse anything else', () => {
    assert.equal(normaliseCertificateCode(' oqu-7k3m-q9tx-2hfd '), 'OQU-7K3M-Q9TX-2HFD')
    assert.equal(normaliseCertificateCode('7K3MQ9TX2HFD'), 'OQU-7K3M-Q9TX-2HFD')
    assert.equal(normaliseCertificateCode('OQU 7K3M Q9TX 2HFD'), 'OQU-7K3M-Q9TX-2HFD')
    for (const bad of [
      '',
      'OQU-7K3M-Q9TX-2HF',
      'OQU-7K3M-Q9TX-2HF0',
      'OQU-7K3M-Q9TX-2HFDX',
      '<script>',
      'x'.repeat(50),
    ]) {
      assert.equal(normaliseCertificateCode(bad), undefined, bad)
    }
  })
})

describeEachDatabase('achievements service', (get) => {
  let h: Harness
  let learner: Person
  let admin: Person
  let courseId: string

  before(async () => {
    h = achievementsHarness(get().db)
    learner = await h.person(['learner'])
    admin = await h.person(['admin'], null)
    courseId = await h.course({ titles: { kk: 'Цифрлық сауаттылық негіздері', ru: 'Основы цифровой грамотности' } })
  })

  const completed = (userId: string, course: string, enrolmentId = randomUUID()): LearningEvent => ({
    type: 'course_completed',
    userId,
    courseId: course,
    enrolmentId,
    at: h.clock.now(),
  })
  // As learning calls it: inside the learner's transaction.
  const raise = (event: LearningEvent) =>
    inTransaction(h.ctx({ kind: 'user', id: event.userId, roles: ['learner'] }), (tx) =>
      h.achievements.onLearningEvent(tx, event),
    )

  it('issues one certificate per completed enrolment: a second event for it issues nothing', async () => {
    const event = completed(learner.id, courseId)
    await raise(event)
    await raise(event)
    const view = await h.achievements.forLearner(h.ctx(learner.actor), learner.id, 'ru')
    assert.equal(view.certificates.length, 1)
    const [cert] = view.certificates
    assert.match(cert!.code, CODE)
    assert.equal(cert!.courseTitle, 'Основы цифровой грамотности')
    assert.equal(cert!.revoked, false)
    assert.equal(cert!.pdfUrl, `/learn/certificates/${cert!.code}.pdf`)
    assert.equal(cert!.verifyUrl, `https://oqu.example.kz/verify/${cert!.code}`)
    const issued = await auditEntries(h.db, 'certificate.issued', learner.id)
    assert.equal(issued.length, 1)
    assert.deepEqual(Object.keys(issued[0]!.data as object).sort(), ['courseId', 'enrolmentId'])
    assert.ok(!JSON.stringify(issued).includes(KAZAKH_NAME.surname!), 'no name in the audit trail')
  })

  it('two completions of one enrolment at the same time still issue one certificate', async () => {
    const p = await h.person(['learner'])
    const event = completed(p.id, courseId)
    // On PostgreSQL these are two connections racing; the unique enrolment makes the second a no-op.
    await Promise.all([raise(event), raise(event), raise(event)])
    const view = await h.achievements.forLearner(h.ctx(p.actor), p.id, 'kk')
    assert.equal(view.certificates.length, 1)
    assert.equal((await auditEntries(h.db, 'certificate.issued', p.id)).length, 1)
    assert.equal((await auditEntries(h.db, 'badge.awarded', p.id)).length, 1)
  })

  it('verify shows exactly what the certificate shows, for any form of the code', async () => {
    const [cert] = (await h.achievements.forLearner(h.ctx(learner.actor), learner.id, 'kk')).certificates
    const facts = await h.achievements.verify(h.db, cert!.code.toLowerCase().replaceAll('-', ''))
    assert.ok(facts)
    assert.equal(facts.code, cert!.code)
    assert.equal(facts.holderName, fullNameOf(KAZAKH_NAME))
    assert.deepEqual(facts.languages, ['kk', 'ru'])
    assert.equal(facts.courseTitles.kk, 'Цифрлық сауаттылық негіздері')
    assert.equal(facts.durationHours, 24)
    assert.equal(facts.operatorNames.kk, '«Talap» коммерциялық емес акционерлік қоғамы')
    assert.equal(facts.revokedAt, null)
    assert.equal(await h.achievements.verify(h.db, 'OQU-2222-3333-4444'), undefined)
    assert.equal(await h.achievements.verify(h.db, 'not a code'), undefined)
  })

  it('stores the name only as ciphertext under the learner key', async () => {
    const rows = await h.db
      .selectFrom('certificates' as never)
      .selectAll()
      .execute()
    assert.ok(!JSON.stringify(rows).includes(KAZAKH_NAME.surname!))
  })

  it('issues nothing when the learner transaction rolls back', async () => {
    const other = await h.person(['learner'])
    await assert.rejects(
      inTransaction(h.ctx(other.actor), async (tx) => {
        await h.achievements.onLearningEvent(tx, completed(other.id, courseId))
        throw new Error('completion failed later')
      }),
      /completion failed later/,
    )
    const view = await h.achievements.forLearner(h.ctx(other.actor), other.id, 'kk')
    assert.deepEqual(view, { badges: [], certificates: [] })
  })

  it('awards each milestone badge once, and three courses after the third different course', async () => {
    const p = await h.person(['learner'])
    const lesson = (): LearningEvent => ({
      type: 'lesson_completed',
      userId: p.id,
      courseId,
      lessonId: randomUUID(),
      at: h.clock.now(),
    })
    const quiz = (): LearningEvent => ({
      type: 'quiz_passed',
      userId: p.id,
      courseId,
      lessonId: randomUUID(),
      scorePercent: 80,
      at: h.clock.now(),
    })
    await raise(lesson())
    await raise(lesson())
    await raise(quiz())
    await raise(quiz())
    const badges = async () =>
      (await h.achievements.forLearner(h.ctx(p.actor), p.id, 'en')).badges.map((b) => b.code).sort()
    assert.deepEqual(await badges(), ['first_lesson', 'first_quiz_passed'])
    await raise(completed(p.id, courseId))
    // The same course completed again on a new enrolment is still one course.
    await raise(completed(p.id, courseId))
    assert.deepEqual(await badges(), ['first_course', 'first_lesson', 'first_quiz_passed'])
    await raise(completed(p.id, await h.course()))
    assert.ok(!(await badges()).includes('three_courses'))
    await raise(completed(p.id, await h.course({ languages: ['ru'] })))
    assert.deepEqual(await badges(), ['first_course', 'first_lesson', 'first_quiz_passed', 'three_courses'])
    await raise(completed(p.id, await h.course()))
    const awarded = await auditEntries(h.db, 'badge.awarded', p.id)
    assert.deepEqual(awarded.map((a) => (a.data as { badge: string }).badge).sort(), [
      'first_course',
      'first_lesson',
      'first_quiz_passed',
      'three_courses',
    ])
    const view = await h.achievements.forLearner(h.ctx(p.actor), p.id, 'kk')
    assert.equal(view.badges.find((b) => b.code === 'three_courses')!.title, 'Үш курс')
    assert.equal(view.certificates.length, 5)
  })

  it('a BTS-profile account without legal names gets its user name on the certificate', async () => {
    const p = await h.person(['learner'], { userName: 'aigerim_teacher' })
    await raise(completed(p.id, courseId))
    const [cert] = (await h.achievements.forLearner(h.ctx(p.actor), p.id, 'kk')).certificates
    assert.equal((await h.achievements.verify(h.db, cert!.code))!.holderName, 'aigerim_teacher')
  })

  it('withholds the certificate of an account without a name, and says so in the audit trail', async () => {
    const nameless = await h.person(['learner'], null)
    await raise(completed(nameless.id, courseId))
    assert.equal((await h.achievements.forLearner(h.ctx(nameless.actor), nameless.id, 'kk')).certificates.length, 0)
    const withheld = await auditEntries(h.db, 'certificate.withheld', nameless.id)
    assert.equal(withheld.length, 1)
  })

  it("another learner gets nothing of someone's achievements", async () => {
    const other = await h.person(['learner'])
    await assert.rejects(h.achievements.forLearner(h.ctx(other.actor), learner.id, 'kk'), AchievementsNotAllowedError)
    await assert.rejects(h.achievements.forLearner(h.ctx(null), learner.id, 'kk'), AchievementsNotAllowedError)
    const [cert] = (await h.achievements.forLearner(h.ctx(learner.actor), learner.id, 'kk')).certificates
    await assert.rejects(h.achievements.document(h.ctx(other.actor), cert!.code), CertificateNotFoundError)
    await assert.rejects(h.achievements.staffView(h.ctx(learner.actor), cert!.code), CertificateNotFoundError)
    assert.equal((await h.achievements.document(h.ctx(learner.actor), cert!.code)).code, cert!.code)
  })

  it('only an admin revokes, with a reason that stays out of the public check and the audit trail', async () => {
    const [cert] = (await h.achievements.forLearner(h.ctx(learner.actor), learner.id, 'kk')).certificates
    const code = cert!.code
    await assert.rejects(
      h.achievements.revoke(h.ctx(learner.actor), code, 'I changed my mind'),
      AchievementsNotAllowedError,
    )
    await assert.rejects(h.achievements.revoke(h.ctx(null), code, 'anonymous'), AchievementsNotAllowedError)
    await assert.rejects(h.achievements.revoke(h.ctx(admin.actor), code, '   '), RevocationReasonRequiredError)
    await assert.rejects(
      h.achievements.revoke(h.ctx(admin.actor), code, 'x'.repeat(501)),
      RevocationReasonRequiredError,
    )
    await assert.rejects(
      h.achievements.revoke(h.ctx(admin.actor), 'OQU-2222-3333-4444', 'why'),
      CertificateNotFoundError,
    )
    assert.equal((await h.achievements.verify(h.db, code))!.revokedAt, null, 'refusals changed nothing')

    h.clock.advanceDays(10)
    await h.achievements.revoke(h.ctx(admin.actor), code, 'Completion recorded in error (ticket 42)')
    const facts = await h.achievements.verify(h.db, code)
    assert.deepEqual(facts!.revokedAt, h.clock.now())
    assert.ok(!JSON.stringify(facts).includes('ticket 42'), 'the reason is not public')
    await assert.rejects(h.achievements.revoke(h.ctx(admin.actor), code, 'again'), AlreadyRevokedError)
    const staff = await h.achievements.staffView(h.ctx(admin.actor), code)
    assert.equal(staff.revocationReason, 'Completion recorded in error (ticket 42)')
    assert.equal(staff.learnerId, learner.id)
    const revoked = await auditEntries(h.db, 'certificate.revoked', learner.id)
    assert.equal(revoked.length, 1)
    assert.equal(revoked[0]!.actor_id, admin.id)
    assert.ok(!JSON.stringify(revoked).includes('ticket'), 'no reason in the audit trail')
    assert.equal((await auditEntries(h.db, 'certificate.viewed', learner.id)).length, 1, 'staff access audited')
    const view = await h.achievements.forLearner(h.ctx(learner.actor), learner.id, 'kk')
    assert.equal(view.certificates[0]!.revoked, true)
  })

  it('after erasure (key destroyed) the certificate still verifies, without the name', async () => {
    const p = await h.person(['learner'])
    await raise(completed(p.id, courseId))
    const [cert] = (await h.achievements.forLearner(h.ctx(p.actor), p.id, 'kk')).certificates
    await h.crypto.destroySubjectKey(h.ctx(), p.id)
    const facts = await h.achievements.verify(h.db, cert!.code)
    assert.ok(facts)
    assert.equal(facts.holderName, null)
    assert.equal(facts.courseTitles.ru, 'Основы цифровой грамотности')
    // The account row gone too: the link is cleared and the check still answers.
    await h.db
      .deleteFrom('users' as never)
      .where('id' as never, '=', p.id as never)
      .execute()
    const after = await h.achievements.verify(h.db, cert!.code)
    assert.equal(after!.holderName, null)
    assert.equal(after!.code, cert!.code)
  })
})

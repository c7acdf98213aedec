/**
 * Achievements: completion certificates and milestone badges (T-4.5.2).
 *
 * Learning raises events inside the learner's transaction; `onLearningEvent`
 * issues a certificate once per completed enrolment and awards each
 * milestone badge once per learner, in that same transaction, audited with
 * ids only. A certificate is a snapshot of what it shows; the learner's name
 * is kept only as ciphertext under their own data key (docs/adr/0006), so
 * `verify` answers "issued, holder's data erased" after crypto-shredding.
 */
import { randomUUID } from 'node:crypto'
import type { AuditLog } from '../../platform/audit/index'
import { inTransaction, type Ctx, type Locale } from '../../platform/context'
import { SubjectKeyDestroyedError, type FieldCrypto } from '../../platform/crypto/index'
import type { Db } from '../../platform/db/database'
import type { I18n } from '../../platform/i18n/i18n'
import {
  AchievementsNotAllowedError,
  AlreadyRevokedError,
  CertificateNotFoundError,
  REASON_MAX_LENGTH,
  RevocationReasonRequiredError,
} from './achievements.errors'
import { canDownloadCertificate, canManageCertificates, canReadAchievements } from './achievements.policies'
import type {
  CourseFactsSource,
  LearnerAchievementsSource,
  LearnerAchievementsView,
  LearningEvent,
  LearningEventListener,
} from './achievements.ports'
import {
  countCompletedCourses,
  findCertificateByCode,
  findCertificateByEnrolment,
  insertBadge,
  insertCertificate,
  listBadges,
  listCertificates,
  revokeCertificate,
  type CertificateRow,
} from './achievements.repository'
import type { Badge } from './achievements.tables'
import { newCertificateCode, normaliseCertificateCode } from './certificate-codes'

/** Field names in the ciphertexts' AAD: never change them. */
export const CERTIFICATE_NAME_FIELD = 'achievements.certificate_name'
export const REVOCATION_REASON_FIELD = 'achievements.revocation_reason'

/** Courses completed for the "three courses" badge. */
export const COURSES_FOR_BADGE = 3

/** What a certificate shows, as verified: exactly the facts printed on it. */
export interface CertificateFacts {
  code: string
  /** The holder's full name as issued; null when their personal data was erased (key destroyed). */
  holderName: string | null
  languages: Locale[]
  courseTitles: Partial<Record<Locale, string>>
  durationHours: number
  completedAt: Date
  issuedAt: Date
  operatorNames: Partial<Record<Locale, string>>
  /** When it was revoked; null while valid. The reason is not public. */
  revokedAt: Date | null
  /** `<publicUrl>/verify/<code>`: what the QR code says. */
  verifyUrl: string
}

/** The certificate as staff see it: the facts, its holder's id and the revocation reason. */
export interface CertificateStaffView extends CertificateFacts {
  learnerId: string | null
  revocationReason: string | null
}

export interface AchievementsDeps {
  audit: Pick<AuditLog, 'record'>
  crypto: Pick<FieldCrypto, 'encryptField' | 'decryptField'>
  i18n: Pick<I18n, 't'>
  /** Absolute base URL of the platform (no trailing slash), for the QR code and verify links. */
  publicUrl: string
  /** The operator's legal name per language (the operator profile), printed on certificates. */
  operatorNames: Partial<Record<Locale, string>>
  /** Facts of a course (from learning). */
  courseFacts: CourseFactsSource
  /** The learner's full name as their account holds it (from accounts); null when it holds none. */
  learnerName: (ctx: Ctx, userId: string) => Promise<string | null>
}

export interface Achievements {
  /** Issues certificates and awards badges for learning events; joins the caller's transaction. */
  onLearningEvent: LearningEventListener
  /** The learner's badges and certificates for "My learning" (the learner, an admin or the system). */
  forLearner: LearnerAchievementsSource
  /** Revokes a certificate (admins only; a reason is required and kept from the public); audited. */
  revoke(ctx: Ctx, code: string, reason: string): Promise<void>
  /** Public check of a code as typed: what the certificate shows, or undefined for no such certificate. */
  verify(db: Db, code: string): Promise<CertificateFacts | undefined>
  /** The certificate to render as a PDF, for its holder or an admin; anyone else gets CertificateNotFoundError. */
  document(ctx: Ctx, code: string): Promise<CertificateFacts>
  /** The staff view of a certificate (admins); the access is audited. */
  staffView(ctx: Ctx, code: string): Promise<CertificateStaffView>
}

/** The title in `locale`, or in the certificate's first language. */
export function titleIn(facts: Pick<CertificateFacts, 'courseTitles' | 'languages'>, locale: Locale): string {
  return facts.courseTitles[locale] ?? facts.courseTitles[facts.languages[0] ?? 'kk'] ?? ''
}

export function createAchievements(deps: AchievementsDeps): Achievements {
  const { audit, crypto, i18n, publicUrl, operatorNames, courseFacts, learnerName } = deps
  const verifyUrl = (code: string) => `${publicUrl}/verify/${code}`

  async function award(ctx: Ctx, learnerId: string, badge: Badge, at: Date): Promise<void> {
    if (await insertBadge(ctx.db, learnerId, badge, at)) {
      await audit.record(ctx, { action: 'badge.awarded', subjectType: 'user', subjectId: learnerId, data: { badge } })
    }
  }

  async function issue(ctx: Ctx, event: Extract<LearningEvent, { type: 'course_completed' }>): Promise<void> {
    if (await findCertificateByEnrolment(ctx.db, event.enrolmentId)) return
    const course = await courseFacts(ctx.db, event.courseId)
    if (!course) throw new Error(`course ${event.courseId} of a completed enrolment is unknown`)
    const name = (await learnerName(ctx, event.userId))?.trim()
    if (!name) {
      // An account without a name (staff-made, never registered) cannot hold a certificate; say so in the trail.
      await audit.record(ctx, {
        action: 'certificate.withheld',
        subjectType: 'user',
        subjectId: event.userId,
        data: { courseId: event.courseId, enrolmentId: event.enrolmentId, reason: 'no_name' },
      })
      return
    }
    const languages = course.languages.filter((l) => course.titles[l])
    const courseTitles = Object.fromEntries(languages.map((l) => [l, course.titles[l]!]))
    const nameCiphertext = await crypto.encryptField(
      ctx.db,
      { subjectId: event.userId, field: CERTIFICATE_NAME_FIELD },
      name,
    )
    for (let attempt = 0; attempt < 5; attempt++) {
      const id = randomUUID()
      const inserted = await insertCertificate(ctx.db, {
        id,
        code: newCertificateCode(),
        learnerId: event.userId,
        courseId: course.id,
        enrolmentId: event.enrolmentId,
        nameCiphertext,
        languages,
        courseTitles,
        durationHours: course.durationHours,
        completedAt: event.at,
        operatorNames,
        issuedAt: ctx.now,
      })
      if (inserted) {
        await audit.record(ctx, {
          action: 'certificate.issued',
          subjectType: 'user',
          subjectId: event.userId,
          targetType: 'certificate',
          targetId: id,
          data: { courseId: course.id, enrolmentId: event.enrolmentId },
        })
        return
      }
      // Not inserted: another transaction issued this enrolment's certificate, or the code was taken.
      if (await findCertificateByEnrolment(ctx.db, event.enrolmentId)) return
    }
    throw new Error('could not draw a free certificate code in 5 attempts')
  }

  async function holderName(db: Db, row: CertificateRow): Promise<string | null> {
    if (row.learner_id === null) return null
    try {
      return await crypto.decryptField(
        db,
        { subjectId: row.learner_id, field: CERTIFICATE_NAME_FIELD },
        row.learner_name_ciphertext,
      )
    } catch (err) {
      if (err instanceof SubjectKeyDestroyedError) return null
      throw err
    }
  }

  async function factsOf(db: Db, row: CertificateRow): Promise<CertificateFacts> {
    return {
      code: row.code,
      holderName: await holderName(db, row),
      languages: row.languages,
      courseTitles: row.course_titles,
      durationHours: row.duration_hours,
      completedAt: row.completed_at,
      issuedAt: row.issued_at,
      operatorNames: row.operator_names,
      revokedAt: row.revoked_at,
      verifyUrl: verifyUrl(row.code),
    }
  }

  async function find(db: Db, code: string): Promise<CertificateRow | undefined> {
    const normalised = normaliseCertificateCode(code)
    return normalised === undefined ? undefined : findCertificateByCode(db, normalised)
  }

  const reasonSubject = (row: CertificateRow) => row.learner_id ?? row.id

  async function staffAccess(ctx: Ctx, row: CertificateRow, action: 'certificate.viewed' | 'certificate.downloaded') {
    await audit.record(ctx, {
      action,
      ...(row.learner_id ? { subjectType: 'user', subjectId: row.learner_id } : {}),
      targetType: 'certificate',
      targetId: row.id,
    })
  }

  return {
    async onLearningEvent(ctx, event) {
      switch (event.type) {
        case 'lesson_completed':
          return award(ctx, event.userId, 'first_lesson', event.at)
        case 'quiz_passed':
          return award(ctx, event.userId, 'first_quiz_passed', event.at)
        case 'course_completed': {
          await issue(ctx, event)
          await award(ctx, event.userId, 'first_course', event.at)
          if ((await countCompletedCourses(ctx.db, event.userId)) >= COURSES_FOR_BADGE) {
            await award(ctx, event.userId, 'three_courses', event.at)
          }
          return
        }
      }
    },

    async forLearner(ctx, userId, locale): Promise<LearnerAchievementsView> {
      if (!canReadAchievements(ctx.actor, userId)) throw new AchievementsNotAllowedError()
      const [badges, certificates] = await Promise.all([listBadges(ctx.db, userId), listCertificates(ctx.db, userId)])
      return {
        badges: badges.map((b) => ({
          code: b.badge,
          title: i18n.t(locale, `achievements.badges.${b.badge}.title`),
          description: i18n.t(locale, `achievements.badges.${b.badge}.description`),
          awardedAt: b.awarded_at,
        })),
        certificates: certificates.map((c) => ({
          code: c.code,
          courseTitle: titleIn({ courseTitles: c.course_titles, languages: c.languages }, locale),
          issuedAt: c.issued_at,
          revoked: c.revoked_at !== null,
          pdfUrl: `/learn/certificates/${c.code}.pdf`,
          verifyUrl: verifyUrl(c.code),
        })),
      }
    },

    async revoke(ctx, code, reason) {
      if (!canManageCertificates(ctx.actor)) throw new AchievementsNotAllowedError()
      const why = reason.trim()
      if (!why) throw new RevocationReasonRequiredError('missing')
      if (why.length > REASON_MAX_LENGTH) throw new RevocationReasonRequiredError('too_long')
      await inTransaction(ctx, async (tx) => {
        const row = await find(tx.db, code)
        if (!row) throw new CertificateNotFoundError()
        if (row.revoked_at) throw new AlreadyRevokedError()
        const reasonCiphertext = await crypto.encryptField(
          tx.db,
          { subjectId: reasonSubject(row), field: REVOCATION_REASON_FIELD },
          why,
        )
        const revoked = await revokeCertificate(tx.db, { id: row.id, at: tx.now, by: tx.actor!.id, reasonCiphertext })
        if (!revoked) throw new AlreadyRevokedError()
        await audit.record(tx, {
          action: 'certificate.revoked',
          ...(row.learner_id ? { subjectType: 'user', subjectId: row.learner_id } : {}),
          targetType: 'certificate',
          targetId: row.id,
        })
      })
    },

    async verify(db, code) {
      const row = await find(db, code)
      return row ? factsOf(db, row) : undefined
    },

    async document(ctx, code) {
      const row = await find(ctx.db, code)
      if (!row || !canDownloadCertificate(ctx.actor, { learnerId: row.learner_id })) {
        throw new CertificateNotFoundError()
      }
      const facts = await factsOf(ctx.db, row)
      if (facts.holderName === null) throw new CertificateNotFoundError()
      if (ctx.actor?.id !== row.learner_id)
        await inTransaction(ctx, (tx) => staffAccess(tx, row, 'certificate.downloaded'))
      return facts
    },

    async staffView(ctx, code) {
      if (!canManageCertificates(ctx.actor)) throw new CertificateNotFoundError()
      const row = await find(ctx.db, code)
      if (!row) throw new CertificateNotFoundError()
      const facts = await factsOf(ctx.db, row)
      let revocationReason: string | null = null
      if (row.revoked_reason_ciphertext) {
        try {
          revocationReason = await crypto.decryptField(
            ctx.db,
            { subjectId: reasonSubject(row), field: REVOCATION_REASON_FIELD },
            row.revoked_reason_ciphertext,
          )
        } catch (err) {
          if (!(err instanceof SubjectKeyDestroyedError)) throw err
        }
      }
      await inTransaction(ctx, (tx) => staffAccess(tx, row, 'certificate.viewed'))
      return { ...facts, learnerId: row.learner_id, revocationReason }
    },
  }
}

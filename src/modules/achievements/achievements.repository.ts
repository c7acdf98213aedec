/**
 * SQL of achievements, with explicit column lists. Every function takes the
 * Db or the open transaction; the service decides who may call them.
 */
import type { Selectable } from 'kysely'
import type { Locale } from '../../platform/context'
import type { Db } from '../../platform/db/database'
import type { AchievementsTables, Badge, CertificatesTable } from './achievements.tables'

const tables = (db: Db) => db.withTables<AchievementsTables>()

export type CertificateRow = Selectable<CertificatesTable>

const CERTIFICATE_COLUMNS = [
  'id',
  'code',
  'learner_id',
  'course_id',
  'enrolment_id',
  'learner_name_ciphertext',
  'languages',
  'course_titles',
  'duration_hours',
  'completed_at',
  'operator_names',
  'issued_at',
  'revoked_at',
  'revoked_by',
  'revoked_reason_ciphertext',
] as const

export interface NewCertificate {
  id: string
  code: string
  learnerId: string
  courseId: string
  enrolmentId: string
  nameCiphertext: string
  languages: Locale[]
  courseTitles: Partial<Record<Locale, string>>
  durationHours: number
  completedAt: Date
  operatorNames: Partial<Record<Locale, string>>
  issuedAt: Date
}

/**
 * Inserts unless the enrolment already has a certificate or the code is
 * taken; returns whether the row went in. ON CONFLICT keeps the caller's
 * transaction usable either way.
 */
export async function insertCertificate(db: Db, c: NewCertificate): Promise<boolean> {
  const rows = await tables(db)
    .insertInto('certificates')
    .values({
      id: c.id,
      code: c.code,
      learner_id: c.learnerId,
      course_id: c.courseId,
      enrolment_id: c.enrolmentId,
      learner_name_ciphertext: c.nameCiphertext,
      languages: c.languages,
      course_titles: JSON.stringify(c.courseTitles),
      duration_hours: c.durationHours,
      completed_at: c.completedAt,
      operator_names: JSON.stringify(c.operatorNames),
      issued_at: c.issuedAt,
      revoked_at: null,
      revoked_by: null,
      revoked_reason_ciphertext: null,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .execute()
  return rows.length === 1
}

export function findCertificateByCode(db: Db, code: string): Promise<CertificateRow | undefined> {
  return tables(db).selectFrom('certificates').select(CERTIFICATE_COLUMNS).where('code', '=', code).executeTakeFirst()
}

export function findCertificateByEnrolment(db: Db, enrolmentId: string): Promise<CertificateRow | undefined> {
  return tables(db)
    .selectFrom('certificates')
    .select(CERTIFICATE_COLUMNS)
    .where('enrolment_id', '=', enrolmentId)
    .executeTakeFirst()
}

/** The learner's certificates, newest first. */
export function listCertificates(db: Db, learnerId: string): Promise<CertificateRow[]> {
  return tables(db)
    .selectFrom('certificates')
    .select(CERTIFICATE_COLUMNS)
    .where('learner_id', '=', learnerId)
    .orderBy('issued_at', 'desc')
    .orderBy('code')
    .execute()
}

/** How many different courses the learner holds a certificate for (revoked ones too: the course was completed). */
export async function countCompletedCourses(db: Db, learnerId: string): Promise<number> {
  const row = await tables(db)
    .selectFrom('certificates')
    .select((eb) => eb.fn.count<string>('course_id').distinct().as('n'))
    .where('learner_id', '=', learnerId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Marks the certificate revoked unless it already is; returns whether this call revoked it. */
export async function revokeCertificate(
  db: Db,
  input: { id: string; at: Date; by: string; reasonCiphertext: string },
): Promise<boolean> {
  const rows = await tables(db)
    .updateTable('certificates')
    .set({ revoked_at: input.at, revoked_by: input.by, revoked_reason_ciphertext: input.reasonCiphertext })
    .where('id', '=', input.id)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute()
  return rows.length === 1
}

/** Awards the badge unless the learner holds it; returns whether this call awarded it. */
export async function insertBadge(db: Db, learnerId: string, badge: Badge, at: Date): Promise<boolean> {
  const rows = await tables(db)
    .insertInto('learner_badges')
    .values({ learner_id: learnerId, badge, awarded_at: at })
    .onConflict((oc) => oc.columns(['learner_id', 'badge']).doNothing())
    .returning('badge')
    .execute()
  return rows.length === 1
}

export function listBadges(db: Db, learnerId: string): Promise<{ badge: Badge; awarded_at: Date }[]> {
  return tables(db)
    .selectFrom('learner_badges')
    .select(['badge', 'awarded_at'])
    .where('learner_id', '=', learnerId)
    .orderBy('awarded_at')
    .orderBy('badge')
    .execute()
}

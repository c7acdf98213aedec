/** The achievements tables as Kysely sees them (migration 0011-achievements); use `db.withTables<AchievementsTables>()`. */
import type { ColumnType } from 'kysely'
import type { Locale } from '../../platform/context'

type Localized = ColumnType<Partial<Record<Locale, string>>, string, never>

/** Milestone badges, in the order they are usually earned. */
export const BADGES = ['first_lesson', 'first_quiz_passed', 'first_course', 'three_courses'] as const
export type Badge = (typeof BADGES)[number]

export interface CertificatesTable {
  id: string
  /** Public code `OQU-XXXX-XXXX-XXXX` (random, unambiguous alphabet), on the PDF and in /verify/<code>. */
  code: string
  /** The learner; null after their account row is deleted (the name is unreadable by then). */
  learner_id: string | null
  course_id: string
  /** One certificate per completed enrolment. */
  enrolment_id: string
  /** The learner's full name as issued, encrypted under the learner's data key (field `achievements.certificate_name`). */
  learner_name_ciphertext: string
  /** The certificate's languages: the course's, in its order. */
  languages: Locale[]
  /** Course title per certificate language, as issued. */
  course_titles: Localized
  duration_hours: number
  completed_at: Date
  /** The operator's legal name in kk, ru and en, as issued. */
  operator_names: Localized
  issued_at: Date
  revoked_at: Date | null
  revoked_by: string | null
  /** Why it was revoked (staff only), encrypted under the learner's data key. */
  revoked_reason_ciphertext: string | null
}

export interface LearnerBadgesTable {
  learner_id: string
  badge: Badge
  awarded_at: Date
}

export type AchievementsTables = {
  certificates: CertificatesTable
  learner_badges: LearnerBadgesTable
}

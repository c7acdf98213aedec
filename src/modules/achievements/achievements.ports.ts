/**
 * What achievements needs from learning, as learning will export it (the
 * lead switches these to `../learning/index` when the branches meet):
 * learning events raised inside the learner's transaction, the view of a
 * learner's achievements that "My learning" shows, and course facts.
 */
import type { Ctx, Locale } from '../../platform/context'
import type { Db } from '../../platform/db/database'

export type LearningEvent =
  | { type: 'lesson_completed'; userId: string; courseId: string; lessonId: string; at: Date }
  | { type: 'quiz_passed'; userId: string; courseId: string; lessonId: string; scorePercent: number; at: Date }
  | { type: 'course_completed'; userId: string; courseId: string; enrolmentId: string; at: Date }

/** Called inside the learner's transaction: what it writes commits or rolls back with the event's cause. */
export type LearningEventListener = (ctx: Ctx, event: LearningEvent) => Promise<void>

export interface LearnerAchievementsView {
  badges: { code: string; title: string; description: string; awardedAt: Date }[]
  certificates: {
    code: string
    courseTitle: string
    issuedAt: Date
    revoked: boolean
    pdfUrl: string
    verifyUrl: string
  }[]
}

export type LearnerAchievementsSource = (ctx: Ctx, userId: string, locale: Locale) => Promise<LearnerAchievementsView>

/** What a certificate needs to know about a course (provided by learning). */
export interface CourseFacts {
  id: string
  slug: string
  languages: Locale[]
  durationHours: number
  titles: Partial<Record<Locale, string>>
}

export type CourseFactsSource = (db: Db, courseId: string) => Promise<CourseFacts | undefined>

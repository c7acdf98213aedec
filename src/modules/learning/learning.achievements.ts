/**
 * What "My learning" shows of achievements, supplied by the achievements
 * module through an injected function (learning does not depend on it).
 */
import type { Ctx, Locale } from '../../platform/context'

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

/** The achievements module's public surface: certificates and badges, their pages and data map. */
export {
  createAchievements,
  CERTIFICATE_NAME_FIELD,
  REVOCATION_REASON_FIELD,
  type Achievements,
  type AchievementsDeps,
  type CertificateFacts,
  type CertificateStaffView,
} from './achievements.service'
export type {
  CourseFacts,
  CourseFactsSource,
  LearnerAchievementsSource,
  LearnerAchievementsView,
  LearningEvent,
  LearningEventListener,
} from './achievements.ports'
export {
  AchievementsError,
  AchievementsNotAllowedError,
  AlreadyRevokedError,
  CertificateNotFoundError,
  RevocationReasonRequiredError,
  type AchievementsErrorCode,
} from './achievements.errors'
export { BADGES, type AchievementsTables, type Badge } from './achievements.tables'
export { achievementsDataMap } from './achievements.data-map'
export { normaliseCertificateCode } from './certificate-codes'
export { renderCertificatePdf, CERTIFICATE_LAYOUT } from './certificate.pdf'
export { registerAchievementsPages, type AchievementsPagesDeps } from './achievements.pages'
export { renderLearnerAchievements, CERTIFICATES_PER_PAGE } from './achievements.views'

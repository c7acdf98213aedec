/** The learning module's public surface: course authoring, the public catalogue and its data map. */
export {
  createCourseService,
  type CourseService,
  type CourseServiceDeps,
  type InstructorInput,
} from './courses.service'
export {
  createCatalogueService,
  PAGE_SIZE,
  type CatalogueQuery,
  type CataloguePage,
  type CatalogueService,
  type CatalogueServiceDeps,
  type CourseCard,
  type CourseDetail,
} from './catalogue.service'
export type { CourseInput, LessonInput, ModuleInput } from './courses.validation'
export {
  CourseInvalidError,
  CourseNotFoundError,
  LearningError,
  NotAllowedError,
  NotPublishableError,
  OrderInvalidError,
  SlugTakenError,
  type LearningErrorCode,
  type Problem,
} from './learning.errors'
export {
  COURSE_LEVELS,
  COURSE_STATUSES,
  LESSON_KINDS,
  type CourseLevel,
  type CourseStatus,
  type LearningTables,
  type LessonKind,
} from './learning.tables'
export { learningDataMap } from './learning.data-map'
export { registerCataloguePages, type CataloguePagesDeps } from './catalogue.pages'
export { registerAuthoringPages, AUTHORING_ROUTES, type AuthoringPagesDeps } from './authoring.pages'
export { registerQuizAuthoringPages, QUIZ_AUTHORING_ROUTES, type QuizAuthoringPagesDeps } from './quiz-authoring.pages'
export { createAuthoringService, type AuthoringService } from './authoring.service'
export { createMediaService, type MediaService } from './authoring.media'
export { DeleteNotAllowedError, FileRejectedError } from './authoring.errors'
export { DEMO_COURSES, seedDemoContent, type DemoSeedOptions } from './demo-content'
export { DEMO_PEOPLE, seedDemoPeople, type DemoPerson } from './demo-people'
export type { LearningEvent, LearningEventListener } from './learning.events'
export { ignoreLearningEvents } from './learning.events'
export type { LearnerAchievementsSource, LearnerAchievementsView } from './learning.achievements'
export { courseFacts, type CourseFacts } from './course-facts'
export {
  createLearnerService,
  type EnrolmentSummary,
  type LearnerService,
  type LearnerServiceDeps,
  type LessonPage,
  type MyLearning,
} from './learner.service'
export {
  createQuizService,
  type QuestionInput,
  type QuizInput,
  type QuizService,
  type QuizServiceDeps,
} from './quizzes.service'
export { createTeachService, type LearnerName, type TeachService } from './teach.service'
export {
  createSearchHistory,
  noSearchHistory,
  SEARCH_QUERY_FIELD,
  type AllowsSearchHistory,
  type SearchHistory,
} from './search-history.service'
export { registerLearnPages, type LearnPagesDeps } from './learn.pages'
export { registerTeachPages, type TeachPagesDeps } from './teach.pages'
export {
  AttemptClosedError,
  AttemptsExhaustedError,
  EnrolmentClosedError,
  LessonNotFoundError,
  NotEnrolledError,
  QuizChangedError,
  QuizInvalidError,
  QuizLessonError,
} from './learning.errors'

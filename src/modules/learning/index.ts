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
export { DEMO_COURSES, seedDemoContent } from './demo-content'
export { registerAuthoringPages, AUTHORING_ROUTES, type AuthoringPagesDeps } from './authoring.pages'
export { createAuthoringService, type AuthoringService } from './authoring.service'
export { createMediaService, type MediaService } from './authoring.media'
export { DeleteNotAllowedError, FileRejectedError } from './authoring.errors'

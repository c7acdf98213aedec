/**
 * What achievements takes from learning, through learning's public surface:
 * learning events raised inside the learner's transaction, the view of a
 * learner's achievements that "My learning" shows, and course facts.
 */
import type { CourseFacts } from '../learning/index'
import type { Db } from '../../platform/db/database'

export type {
  CourseFacts,
  LearnerAchievementsSource,
  LearnerAchievementsView,
  LearningEvent,
  LearningEventListener,
} from '../learning/index'

export type CourseFactsSource = (db: Db, courseId: string) => Promise<CourseFacts | undefined>

/** The learning tables as Kysely sees them (migration 0008-learning); use `db.withTables<LearningTables>()`. */
import type { Locale } from '../../platform/context'

export const COURSE_LEVELS = ['beginner', 'intermediate', 'advanced'] as const
export type CourseLevel = (typeof COURSE_LEVELS)[number]

/** `draft` is seen only by its authors; `published` is in the catalogue; `archived` keeps its page but leaves the catalogue. */
export const COURSE_STATUSES = ['draft', 'published', 'archived'] as const
export type CourseStatus = (typeof COURSE_STATUSES)[number]

export const LESSON_KINDS = ['text', 'video', 'quiz'] as const
export type LessonKind = (typeof LESSON_KINDS)[number]

export interface CoursesTable {
  id: string
  /** Lower-case words joined by hyphens; the course's stable URL `/courses/<slug>`. */
  slug: string
  /** Languages the course is taught in, in the order the author gave them. */
  languages: Locale[]
  level: CourseLevel
  duration_hours: number
  /** Whole tenge; null = free. */
  price_kzt: number | null
  status: CourseStatus
  /** Path under the media store, e.g. `covers/<id>.webp`; null = no cover. */
  cover_image_path: string | null
  /** Demo content seeded on embedded start; shown with a "Demo" badge. */
  demo: boolean
  /** When the course was first published. */
  published_at: Date | null
  created_at: Date
  updated_at: Date
  /** The account that created it; null for seeded content or after that account was deleted. */
  created_by: string | null
}

export interface CourseTranslationsTable {
  course_id: string
  locale: Locale
  title: string
  summary: string
  /** Lower-case words of title and summary (pg_trgm matches typos against it). */
  search_text: string
  /** Trigrams of `search_text`'s words, for databases without pg_trgm. */
  search_trigrams: string[]
  /** Normalised lexemes (raw and suffix-stripped), title weighted A, summary B. */
  search_vector: string
}

export interface CourseModulesTable {
  id: string
  course_id: string
  /** 0-based order within the course. */
  position: number
}

export interface CourseModuleTranslationsTable {
  module_id: string
  locale: Locale
  title: string
}

export interface LessonsTable {
  id: string
  module_id: string
  /** 0-based order within the module. */
  position: number
  kind: LessonKind
  /** https URL of the lesson's video (kind `video`). */
  video_url: string | null
  /** Whether completing the course needs this lesson. */
  required: boolean
  /** Expected time to take the lesson. */
  duration_minutes: number | null
}

export interface LessonTranslationsTable {
  lesson_id: string
  locale: Locale
  title: string
  /** Markdown, rendered by the safe renderer (no raw HTML passes). */
  body_markdown: string
}

export interface CourseInstructorsTable {
  id: string
  course_id: string
  /** The instructor's account; null for a named guest or demo instructor without one. */
  user_id: string | null
  /** The name the course page shows. */
  display_name: string
  position: number
}

export const ENROLMENT_STATUSES = ['active', 'completed'] as const
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number]

/** A learner's place in a course (migration 0010). */
export interface EnrolmentsTable {
  id: string
  user_id: string
  course_id: string
  status: EnrolmentStatus
  enrolled_at: Date
  /** Set once, when the last required lesson is done. */
  completed_at: Date | null
  /** The lesson the learner opened last ("continue where you stopped"). */
  last_lesson_id: string | null
  last_visited_at: Date | null
}

export interface LessonProgressTable {
  enrolment_id: string
  lesson_id: string
  completed_at: Date
}

export const QUESTION_KINDS = ['single', 'multiple', 'short'] as const
export type QuestionKind = (typeof QUESTION_KINDS)[number]

/** Text in one or more of the course's languages. */
export type Texts = Partial<Record<Locale, string>>

export interface QuizSettingsTable {
  lesson_id: string
  pass_percent: number
  /** null = unlimited. */
  max_attempts: number | null
  shuffle_options: boolean
  /** Grows with every edit; an attempt started on an older version cannot be submitted. */
  version: number
  updated_at: Date
}

export interface QuizQuestionsTable {
  id: string
  lesson_id: string
  position: number
  kind: QuestionKind
  prompt: Texts
  explanation: Texts | null
  /** Short answer: every accepted answer (in any of the course's languages). */
  accepted_answers: string[]
}

export interface QuizOptionsTable {
  id: string
  question_id: string
  position: number
  label: Texts
  correct: boolean
}

export interface QuizAttemptsTable {
  id: string
  enrolment_id: string
  lesson_id: string
  /** 1-based, per enrolment and quiz. */
  number: number
  quiz_version: number
  /** Question id → option ids in the order shown to the learner. */
  option_order: Record<string, string[]>
  started_at: Date
  submitted_at: Date | null
  score_percent: number | null
  correct_count: number | null
  question_count: number | null
  passed: boolean | null
}

export interface QuizAnswersTable {
  attempt_id: string
  /** The question as it was (not a foreign key: answers outlive an edited quiz). */
  question_id: string
  chosen_option_ids: string[]
  text_answer: string | null
  correct: boolean
}

export interface SearchQueriesTable {
  id: string
  user_id: string
  /** The query text, encrypted under the learner's data key (field `learning.search_query`). */
  query_ciphertext: string
  searched_at: Date
}

// A type alias, not an interface: withTables<T>() needs T to have an implicit index signature.
export type LearningTables = {
  courses: CoursesTable
  course_translations: CourseTranslationsTable
  course_modules: CourseModulesTable
  course_module_translations: CourseModuleTranslationsTable
  lessons: LessonsTable
  lesson_translations: LessonTranslationsTable
  course_instructors: CourseInstructorsTable
  enrolments: EnrolmentsTable
  lesson_progress: LessonProgressTable
  quiz_settings: QuizSettingsTable
  quiz_questions: QuizQuestionsTable
  quiz_options: QuizOptionsTable
  quiz_attempts: QuizAttemptsTable
  quiz_answers: QuizAnswersTable
  search_queries: SearchQueriesTable
}

/** Files of courses (migration 0014-learning-authoring): cover pictures and lesson attachments. */
export interface CourseMediaTable {
  id: string
  course_id: string
  /** The lesson of an attachment; null for a cover. */
  lesson_id: string | null
  kind: 'cover' | 'attachment'
  /** Decided from the file's bytes, never from the browser's claim. */
  content_type: string
  /** The name an attachment downloads as; null for a cover. */
  file_name: string | null
  byte_size: number
  bytes: Uint8Array
  created_at: Date
  created_by: string | null
}

export type CourseMediaTables = {
  course_media: CourseMediaTable
}

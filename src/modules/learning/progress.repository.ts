/**
 * SQL of the learner's side: enrolments, lesson progress, quizzes and their
 * attempts, search history. Explicit columns; jsonb written as JSON text.
 */
import { sql } from 'kysely'
import type { Locale } from '../../platform/context'
import type { Db } from '../../platform/db/database'
import type {
  CourseMediaTables,
  EnrolmentsTable,
  EnrolmentStatus,
  LearningTables,
  QuestionKind,
  QuizAttemptsTable,
  QuizSettingsTable,
  Texts,
} from './learning.tables'

const tables = (db: Db) => db.withTables<LearningTables>()
// Sent as text and cast, so no driver encodes the JSON a second time.
const json = <T>(value: T) => sql<T>`${JSON.stringify(value)}::text::jsonb`

export type EnrolmentRow = EnrolmentsTable

const ENROLMENT_COLUMNS = [
  'id',
  'user_id',
  'course_id',
  'status',
  'enrolled_at',
  'completed_at',
  'last_lesson_id',
  'last_visited_at',
] as const

export async function findEnrolment(db: Db, userId: string, courseId: string): Promise<EnrolmentRow | undefined> {
  return tables(db)
    .selectFrom('enrolments')
    .select(ENROLMENT_COLUMNS)
    .where('user_id', '=', userId)
    .where('course_id', '=', courseId)
    .executeTakeFirst()
}

/** The enrolment, locked until the transaction ends: one writer at a time per learner and course. */
export async function lockEnrolment(db: Db, userId: string, courseId: string): Promise<EnrolmentRow | undefined> {
  return tables(db)
    .selectFrom('enrolments')
    .select(ENROLMENT_COLUMNS)
    .where('user_id', '=', userId)
    .where('course_id', '=', courseId)
    .forUpdate()
    .executeTakeFirst()
}

/** Inserts the enrolment unless the learner already has one; true when inserted. */
export async function insertEnrolment(
  db: Db,
  row: { id: string; userId: string; courseId: string; now: Date },
): Promise<boolean> {
  const r = await tables(db)
    .insertInto('enrolments')
    .values({
      id: row.id,
      user_id: row.userId,
      course_id: row.courseId,
      status: 'active',
      enrolled_at: row.now,
      completed_at: null,
      last_lesson_id: null,
      last_visited_at: null,
    })
    .onConflict((oc) => oc.columns(['user_id', 'course_id']).doNothing())
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0
}

export async function setLastLesson(db: Db, enrolmentId: string, lessonId: string, now: Date): Promise<void> {
  await tables(db)
    .updateTable('enrolments')
    .set({ last_lesson_id: lessonId, last_visited_at: now })
    .where('id', '=', enrolmentId)
    .execute()
}

/** Marks the lesson done; true when it was not done before. */
export async function insertProgress(db: Db, enrolmentId: string, lessonId: string, now: Date): Promise<boolean> {
  const r = await tables(db)
    .insertInto('lesson_progress')
    .values({ enrolment_id: enrolmentId, lesson_id: lessonId, completed_at: now })
    .onConflict((oc) => oc.columns(['enrolment_id', 'lesson_id']).doNothing())
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0
}

/** The files an author attached to a lesson, oldest first (no bytes). */
export async function lessonAttachments(
  db: Db,
  lessonId: string,
): Promise<{ id: string; file_name: string | null; byte_size: number }[]> {
  return db
    .withTables<CourseMediaTables>()
    .selectFrom('course_media')
    .select(['id', 'file_name', 'byte_size'])
    .where('lesson_id', '=', lessonId)
    .where('kind', '=', 'attachment')
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

/** Whether the person is enrolled in the course (any status). */
export async function isEnrolled(db: Db, userId: string, courseId: string): Promise<boolean> {
  const row = await tables(db)
    .selectFrom('enrolments')
    .select('id')
    .where('user_id', '=', userId)
    .where('course_id', '=', courseId)
    .executeTakeFirst()
  return row !== undefined
}

export async function doneLessonIds(db: Db, enrolmentId: string): Promise<string[]> {
  const rows = await tables(db)
    .selectFrom('lesson_progress')
    .select('lesson_id')
    .where('enrolment_id', '=', enrolmentId)
    .execute()
  return rows.map((r) => r.lesson_id)
}

/** Completes an active enrolment; true when this call did it (it happens once). */
export async function completeEnrolment(db: Db, enrolmentId: string, now: Date): Promise<boolean> {
  const r = await tables(db)
    .updateTable('enrolments')
    .set({ status: 'completed', completed_at: now })
    .where('id', '=', enrolmentId)
    .where('status', '=', 'active')
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

export interface CourseLessonRow {
  id: string
  course_id: string
  kind: 'text' | 'video' | 'quiz'
  required: boolean
  video_url: string | null
}

/** Every lesson of the course, in order. */
export async function courseLessons(db: Db, courseId: string): Promise<CourseLessonRow[]> {
  return tables(db)
    .selectFrom('lessons as l')
    .innerJoin('course_modules as m', 'm.id', 'l.module_id')
    .select(['l.id', 'm.course_id', 'l.kind', 'l.required', 'l.video_url'])
    .where('m.course_id', '=', courseId)
    .orderBy('m.position')
    .orderBy('l.position')
    .execute()
}

/** The lesson with its course, if it exists. */
export async function lessonCourse(db: Db, lessonId: string): Promise<CourseLessonRow | undefined> {
  return tables(db)
    .selectFrom('lessons as l')
    .innerJoin('course_modules as m', 'm.id', 'l.module_id')
    .select(['l.id', 'm.course_id', 'l.kind', 'l.required', 'l.video_url'])
    .where('l.id', '=', lessonId)
    .executeTakeFirst()
}

export async function lessonBodies(db: Db, lessonId: string): Promise<{ locale: Locale; body_markdown: string }[]> {
  return tables(db)
    .selectFrom('lesson_translations')
    .select(['locale', 'body_markdown'])
    .where('lesson_id', '=', lessonId)
    .execute()
}

export interface LearnerEnrolmentRow extends EnrolmentRow {
  slug: string
  languages: Locale[]
}

/** A page of the learner's enrolments in one state, newest activity first. */
export async function enrolmentsOfUser(
  db: Db,
  userId: string,
  status: EnrolmentStatus,
  page: { limit: number; offset: number },
): Promise<LearnerEnrolmentRow[]> {
  return tables(db)
    .selectFrom('enrolments as e')
    .innerJoin('courses as c', 'c.id', 'e.course_id')
    .select(ENROLMENT_COLUMNS.map((c) => `e.${c}` as const))
    .select(['c.slug', 'c.languages'])
    .where('e.user_id', '=', userId)
    .where('e.status', '=', status)
    .orderBy(sql`coalesce(e.completed_at, e.last_visited_at, e.enrolled_at) desc`)
    .orderBy('e.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
}

/** How many enrolments the learner has in each state. */
export async function enrolmentCounts(db: Db, userId: string): Promise<Record<EnrolmentStatus, number>> {
  const rows = await tables(db)
    .selectFrom('enrolments')
    .select(['status', sql<string>`count(*)`.as('n')])
    .where('user_id', '=', userId)
    .groupBy('status')
    .execute()
  const out: Record<EnrolmentStatus, number> = { active: 0, completed: 0 }
  for (const r of rows) out[r.status] = Number(r.n)
  return out
}

/** Per enrolment: how many of the given course's required lessons are done. */
export async function doneCounts(db: Db, enrolmentIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>()
  if (enrolmentIds.length === 0) return out
  const rows = await tables(db)
    .selectFrom('lesson_progress')
    .select(['enrolment_id', 'lesson_id'])
    .where('enrolment_id', 'in', enrolmentIds)
    .execute()
  for (const r of rows) out.set(r.enrolment_id, [...(out.get(r.enrolment_id) ?? []), r.lesson_id])
  return out
}

/** Lessons (id, required) of several courses. */
export async function lessonsOfCourses(db: Db, courseIds: readonly string[]): Promise<CourseLessonRow[]> {
  if (courseIds.length === 0) return []
  return tables(db)
    .selectFrom('lessons as l')
    .innerJoin('course_modules as m', 'm.id', 'l.module_id')
    .select(['l.id', 'm.course_id', 'l.kind', 'l.required', 'l.video_url'])
    .where('m.course_id', 'in', courseIds)
    .orderBy('m.position')
    .orderBy('l.position')
    .execute()
}

export async function countLearners(db: Db, courseId: string): Promise<number> {
  const r = await tables(db)
    .selectFrom('enrolments')
    .select(sql<string>`count(*)`.as('n'))
    .where('course_id', '=', courseId)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

/** A page of a course's enrolments, oldest first. */
export async function enrolmentsOfCourse(
  db: Db,
  courseId: string,
  page: { limit: number; offset: number },
): Promise<EnrolmentRow[]> {
  return tables(db)
    .selectFrom('enrolments')
    .select(ENROLMENT_COLUMNS)
    .where('course_id', '=', courseId)
    .orderBy('enrolled_at')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
}

/** Courses the user created or teaches (all courses for `all`), with their learner counts. */
export async function taughtCourses(
  db: Db,
  userId: string,
  all: boolean,
): Promise<{ id: string; slug: string; languages: Locale[]; status: string; learners: string }[]> {
  let q = tables(db)
    .selectFrom('courses as c')
    .select([
      'c.id',
      'c.slug',
      'c.languages',
      'c.status',
      sql<string>`(select count(*) from enrolments e where e.course_id = c.id)`.as('learners'),
    ])
  if (!all)
    q = q.where((eb) =>
      eb.or([
        eb('c.created_by', '=', userId),
        eb.exists(
          eb
            .selectFrom('course_instructors as i')
            .select('i.id')
            .whereRef('i.course_id', '=', 'c.id')
            .where('i.user_id', '=', userId),
        ),
      ]),
    )
  return q.orderBy('c.created_at', 'desc').orderBy('c.id').limit(200).execute()
}

// Quizzes

export type QuizSettingsRow = QuizSettingsTable

export async function quizSettings(db: Db, lessonId: string): Promise<QuizSettingsRow | undefined> {
  return tables(db)
    .selectFrom('quiz_settings')
    .select(['lesson_id', 'pass_percent', 'max_attempts', 'shuffle_options', 'version', 'updated_at'])
    .where('lesson_id', '=', lessonId)
    .executeTakeFirst()
}

export async function saveQuizSettings(
  db: Db,
  row: { lessonId: string; passPercent: number; maxAttempts: number | null; shuffleOptions: boolean; now: Date },
): Promise<number> {
  const r = await tables(db)
    .insertInto('quiz_settings')
    .values({
      lesson_id: row.lessonId,
      pass_percent: row.passPercent,
      max_attempts: row.maxAttempts,
      shuffle_options: row.shuffleOptions,
      version: 1,
      updated_at: row.now,
    })
    .onConflict((oc) =>
      oc.column('lesson_id').doUpdateSet({
        pass_percent: row.passPercent,
        max_attempts: row.maxAttempts,
        shuffle_options: row.shuffleOptions,
        version: sql<number>`quiz_settings.version + 1`,
        updated_at: row.now,
      }),
    )
    .returning('version')
    .executeTakeFirstOrThrow()
  return r.version
}

export interface NewQuestion {
  id: string
  kind: QuestionKind
  prompt: Texts
  explanation: Texts | null
  acceptedAnswers: string[]
  options: { id: string; label: Texts; correct: boolean }[]
}

/** Replaces the quiz's questions and options; drops attempts not yet submitted (they showed the old quiz). */
export async function replaceQuestions(db: Db, lessonId: string, questions: readonly NewQuestion[]): Promise<void> {
  await tables(db)
    .deleteFrom('quiz_attempts')
    .where('lesson_id', '=', lessonId)
    .where('submitted_at', 'is', null)
    .execute()
  await tables(db).deleteFrom('quiz_questions').where('lesson_id', '=', lessonId).execute()
  for (const [position, q] of questions.entries()) {
    await tables(db)
      .insertInto('quiz_questions')
      .values({
        id: q.id,
        lesson_id: lessonId,
        position,
        kind: q.kind,
        prompt: json(q.prompt),
        explanation: q.explanation ? json(q.explanation) : null,
        accepted_answers: sql`${q.acceptedAnswers}::text[]`,
      })
      .execute()
    for (const [i, o] of q.options.entries())
      await tables(db)
        .insertInto('quiz_options')
        .values({ id: o.id, question_id: q.id, position: i, label: json(o.label), correct: o.correct })
        .execute()
  }
}

export interface QuestionRow {
  id: string
  position: number
  kind: QuestionKind
  prompt: Texts
  explanation: Texts | null
  accepted_answers: string[]
}

export interface OptionRow {
  id: string
  question_id: string
  position: number
  label: Texts
  correct: boolean
}

export async function quizQuestions(
  db: Db,
  lessonId: string,
): Promise<{ questions: QuestionRow[]; options: OptionRow[] }> {
  const questions = await tables(db)
    .selectFrom('quiz_questions')
    .select(['id', 'position', 'kind', 'prompt', 'explanation', 'accepted_answers'])
    .where('lesson_id', '=', lessonId)
    .orderBy('position')
    .execute()
  const options =
    questions.length === 0
      ? []
      : await tables(db)
          .selectFrom('quiz_options')
          .select(['id', 'question_id', 'position', 'label', 'correct'])
          .where(
            'question_id',
            'in',
            questions.map((q) => q.id),
          )
          .orderBy('position')
          .execute()
  return { questions, options }
}

export type AttemptRow = QuizAttemptsTable

const ATTEMPT_COLUMNS = [
  'id',
  'enrolment_id',
  'lesson_id',
  'number',
  'quiz_version',
  'option_order',
  'started_at',
  'submitted_at',
  'score_percent',
  'correct_count',
  'question_count',
  'passed',
] as const

/** The enrolment's attempts at this quiz, in order. */
export async function attempts(db: Db, enrolmentId: string, lessonId: string): Promise<AttemptRow[]> {
  return tables(db)
    .selectFrom('quiz_attempts')
    .select(ATTEMPT_COLUMNS)
    .where('enrolment_id', '=', enrolmentId)
    .where('lesson_id', '=', lessonId)
    .orderBy('number')
    .execute()
}

export async function insertAttempt(
  db: Db,
  row: {
    id: string
    enrolmentId: string
    lessonId: string
    number: number
    version: number
    order: Record<string, string[]>
    now: Date
  },
): Promise<void> {
  await tables(db)
    .insertInto('quiz_attempts')
    .values({
      id: row.id,
      enrolment_id: row.enrolmentId,
      lesson_id: row.lessonId,
      number: row.number,
      quiz_version: row.version,
      option_order: json(row.order),
      started_at: row.now,
      submitted_at: null,
      score_percent: null,
      correct_count: null,
      question_count: null,
      passed: null,
    })
    .execute()
}

/** Scores an open attempt; false when it was already submitted (the double-submit guard). */
export async function closeAttempt(
  db: Db,
  attemptId: string,
  score: { percent: number; correct: number; total: number; passed: boolean; now: Date },
): Promise<boolean> {
  const r = await tables(db)
    .updateTable('quiz_attempts')
    .set({
      submitted_at: score.now,
      score_percent: score.percent,
      correct_count: score.correct,
      question_count: score.total,
      passed: score.passed,
    })
    .where('id', '=', attemptId)
    .where('submitted_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

export interface AnswerRow {
  question_id: string
  chosen_option_ids: string[]
  text_answer: string | null
  correct: boolean
}

export async function insertAnswers(db: Db, attemptId: string, answers: readonly AnswerRow[]): Promise<void> {
  for (const a of answers)
    await tables(db)
      .insertInto('quiz_answers')
      .values({
        attempt_id: attemptId,
        question_id: a.question_id,
        chosen_option_ids: sql`${a.chosen_option_ids}::uuid[]`,
        text_answer: a.text_answer,
        correct: a.correct,
      })
      .execute()
}

export async function answersOf(db: Db, attemptId: string): Promise<AnswerRow[]> {
  return tables(db)
    .selectFrom('quiz_answers')
    .select(['question_id', 'chosen_option_ids', 'text_answer', 'correct'])
    .where('attempt_id', '=', attemptId)
    .execute()
}

/** Per question of the course's quizzes: submitted answers and how many were right. */
export async function questionResults(
  db: Db,
  questionIds: readonly string[],
): Promise<{ question_id: string; answers: string; correct: string }[]> {
  if (questionIds.length === 0) return []
  return tables(db)
    .selectFrom('quiz_answers')
    .select([
      'question_id',
      sql<string>`count(*)`.as('answers'),
      sql<string>`count(*) filter (where correct)`.as('correct'),
    ])
    .where('question_id', 'in', questionIds)
    .groupBy('question_id')
    .execute()
}

/** Per quiz lesson of the course: submitted attempts and passed ones. */
export async function attemptTotals(
  db: Db,
  lessonIds: readonly string[],
): Promise<{ lesson_id: string; attempts: string; passed: string; learners: string }[]> {
  if (lessonIds.length === 0) return []
  return tables(db)
    .selectFrom('quiz_attempts')
    .select([
      'lesson_id',
      sql<string>`count(*)`.as('attempts'),
      sql<string>`count(*) filter (where passed)`.as('passed'),
      sql<string>`count(distinct enrolment_id)`.as('learners'),
    ])
    .where('lesson_id', 'in', lessonIds)
    .where('submitted_at', 'is not', null)
    .groupBy('lesson_id')
    .execute()
}

// Search history

export async function insertSearchQuery(
  db: Db,
  row: { id: string; userId: string; ciphertext: string; now: Date },
): Promise<void> {
  await tables(db)
    .insertInto('search_queries')
    .values({ id: row.id, user_id: row.userId, query_ciphertext: row.ciphertext, searched_at: row.now })
    .execute()
}

export async function searchQueries(
  db: Db,
  userId: string,
  limit: number,
): Promise<{ id: string; query_ciphertext: string; searched_at: Date }[]> {
  return tables(db)
    .selectFrom('search_queries')
    .select(['id', 'query_ciphertext', 'searched_at'])
    .where('user_id', '=', userId)
    .orderBy('searched_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute()
}

export async function deleteSearchQueries(db: Db, userId: string): Promise<number> {
  const r = await tables(db).deleteFrom('search_queries').where('user_id', '=', userId).executeTakeFirst()
  return Number(r.numDeletedRows)
}

/** Keeps only the newest `keep` queries of the user. */
export async function trimSearchQueries(db: Db, userId: string, keep: number): Promise<void> {
  await sql`delete from search_queries where user_id = ${userId} and id not in (
    select id from search_queries where user_id = ${userId} order by searched_at desc, id limit ${keep})`.execute(db)
}

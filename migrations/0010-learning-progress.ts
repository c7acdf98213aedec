/**
 * Learning, second part (src/modules/learning): the learner's side.
 * - `enrolments`: one row per learner and course (T-3.1.1), active or
 *   completed (once), with the last lesson opened ("continue where you stopped").
 * - `lesson_progress`: which lessons of an enrolment are done, and when.
 * - Quizzes: `quiz_settings` (pass mark, attempts limit, shuffling, a version
 *   that grows with every edit), `quiz_questions` (single, multiple, short
 *   answer with accepted answers), `quiz_options`; `quiz_attempts` (the
 *   option order shown, stored so a reload shows the same order; the score)
 *   and `quiz_answers` (what was answered and whether it was right, kept even
 *   after the quiz is edited, so question ids there are not foreign keys).
 * - `search_queries`: the learner's catalogue searches (B-2.2), only kept
 *   while the search-history consent is on, each encrypted under the
 *   learner's data key.
 * Learning history is kept as long as the account (T-4.5.2): rows go with the
 * account (ON DELETE CASCADE from users), never on their own.
 */
import { sql, type Kysely } from 'kysely'

const enrolments = sql`CREATE TABLE enrolments (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id uuid NOT NULL REFERENCES courses (id),
    status text NOT NULL CONSTRAINT enrolments_status_check CHECK (status IN ('active', 'completed')),
    enrolled_at timestamptz NOT NULL,
    completed_at timestamptz,
    last_lesson_id uuid REFERENCES lessons (id) ON DELETE SET NULL,
    last_visited_at timestamptz,
    CONSTRAINT enrolments_user_course_key UNIQUE (user_id, course_id),
    CONSTRAINT enrolments_completed_has_time CHECK ((status = 'completed') = (completed_at IS NOT NULL))
  )`

const lessonProgress = sql`CREATE TABLE lesson_progress (
    enrolment_id uuid NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
    lesson_id uuid NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    completed_at timestamptz NOT NULL,
    PRIMARY KEY (enrolment_id, lesson_id)
  )`

const quizSettings = sql`CREATE TABLE quiz_settings (
    lesson_id uuid PRIMARY KEY REFERENCES lessons (id) ON DELETE CASCADE,
    pass_percent integer NOT NULL CONSTRAINT quiz_settings_pass_check CHECK (pass_percent BETWEEN 0 AND 100),
    max_attempts integer CONSTRAINT quiz_settings_attempts_check CHECK (max_attempts BETWEEN 1 AND 100),
    shuffle_options boolean NOT NULL,
    version integer NOT NULL CONSTRAINT quiz_settings_version_check CHECK (version >= 1),
    updated_at timestamptz NOT NULL
  )`

const quizQuestions = sql`CREATE TABLE quiz_questions (
    id uuid PRIMARY KEY,
    lesson_id uuid NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    position integer NOT NULL CONSTRAINT quiz_questions_position_check CHECK (position >= 0),
    kind text NOT NULL CONSTRAINT quiz_questions_kind_check CHECK (kind IN ('single', 'multiple', 'short')),
    prompt jsonb NOT NULL,
    explanation jsonb,
    accepted_answers text[] NOT NULL DEFAULT '{}',
    CONSTRAINT quiz_questions_position_key UNIQUE (lesson_id, position) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT quiz_questions_short_has_answers CHECK (kind <> 'short' OR cardinality(accepted_answers) > 0)
  )`

const quizOptions = sql`CREATE TABLE quiz_options (
    id uuid PRIMARY KEY,
    question_id uuid NOT NULL REFERENCES quiz_questions (id) ON DELETE CASCADE,
    position integer NOT NULL CONSTRAINT quiz_options_position_check CHECK (position >= 0),
    label jsonb NOT NULL,
    correct boolean NOT NULL,
    CONSTRAINT quiz_options_position_key UNIQUE (question_id, position) DEFERRABLE INITIALLY DEFERRED
  )`

const quizAttempts = sql`CREATE TABLE quiz_attempts (
    id uuid PRIMARY KEY,
    enrolment_id uuid NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
    lesson_id uuid NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    number integer NOT NULL CONSTRAINT quiz_attempts_number_check CHECK (number >= 1),
    quiz_version integer NOT NULL,
    option_order jsonb NOT NULL,
    started_at timestamptz NOT NULL,
    submitted_at timestamptz,
    score_percent integer CONSTRAINT quiz_attempts_score_check CHECK (score_percent BETWEEN 0 AND 100),
    correct_count integer,
    question_count integer,
    passed boolean,
    CONSTRAINT quiz_attempts_number_key UNIQUE (enrolment_id, lesson_id, number),
    CONSTRAINT quiz_attempts_scored CHECK ((submitted_at IS NULL) = (score_percent IS NULL AND passed IS NULL))
  )`

const quizAnswers = sql`CREATE TABLE quiz_answers (
    attempt_id uuid NOT NULL REFERENCES quiz_attempts (id) ON DELETE CASCADE,
    question_id uuid NOT NULL,
    chosen_option_ids uuid[] NOT NULL DEFAULT '{}',
    text_answer text CONSTRAINT quiz_answers_text_check CHECK (char_length(text_answer) <= 500),
    correct boolean NOT NULL,
    PRIMARY KEY (attempt_id, question_id)
  )`

const searchQueries = sql`CREATE TABLE search_queries (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    query_ciphertext text NOT NULL CONSTRAINT search_queries_sealed CHECK (query_ciphertext LIKE 'v1.%'),
    searched_at timestamptz NOT NULL
  )`

const statements = [
  enrolments,
  sql`CREATE INDEX enrolments_course_idx ON enrolments (course_id, enrolled_at)`,
  lessonProgress,
  quizSettings,
  quizQuestions,
  quizOptions,
  quizAttempts,
  // One open attempt per learner and quiz: a second "start" finds the first.
  sql`CREATE UNIQUE INDEX quiz_attempts_open_key ON quiz_attempts (enrolment_id, lesson_id) WHERE submitted_at IS NULL`,
  sql`CREATE INDEX quiz_attempts_lesson_idx ON quiz_attempts (lesson_id)`,
  quizAnswers,
  searchQueries,
  sql`CREATE INDEX search_queries_user_idx ON search_queries (user_id, searched_at DESC)`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db)
}

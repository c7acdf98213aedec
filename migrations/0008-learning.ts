/**
 * Learning (src/modules/learning): the course catalogue — courses with their
 * texts per language, modules, lessons and the instructors shown on a course.
 * Course content is not personal data; the links to instructors are. Ids and
 * times come from the application.
 *
 * Search: `search_vector` holds lexemes normalised by the application (its own
 * light Kazakh/Russian stemmer, `search-text.ts`), because PostgreSQL has no
 * Kazakh dictionary and PGlite does not reliably ship the Russian one; the
 * 'simple' configuration is never asked to parse them (`array_to_tsvector`).
 * Typos are matched by trigrams: pg_trgm where the server offers it (the
 * index below), else the application's own trigrams in `search_trigrams`.
 */
import { sql, type Kysely } from 'kysely'

const LOCALE = `IN ('kk', 'ru', 'en')`
const SLUG = `'^[a-z0-9]+(-[a-z0-9]+)*$'`

const courses = sql`CREATE TABLE courses (
    id uuid PRIMARY KEY,
    slug text NOT NULL CONSTRAINT courses_slug_key UNIQUE
      CONSTRAINT courses_slug_format CHECK (slug ~ ${sql.raw(SLUG)} AND char_length(slug) BETWEEN 3 AND 80),
    languages text[] NOT NULL CONSTRAINT courses_languages_check
      CHECK (cardinality(languages) BETWEEN 1 AND 3 AND languages <@ ARRAY['kk', 'ru', 'en']::text[]),
    level text NOT NULL CONSTRAINT courses_level_check CHECK (level IN ('beginner', 'intermediate', 'advanced')),
    duration_hours integer NOT NULL CONSTRAINT courses_duration_check CHECK (duration_hours BETWEEN 1 AND 2000),
    price_kzt integer CONSTRAINT courses_price_check CHECK (price_kzt IS NULL OR price_kzt > 0),
    status text NOT NULL CONSTRAINT courses_status_check CHECK (status IN ('draft', 'published', 'archived')),
    cover_image_path text CONSTRAINT courses_cover_path_check
      CHECK (cover_image_path ~ '^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\\.(png|jpg|jpeg|webp)$'),
    demo boolean NOT NULL DEFAULT false,
    published_at timestamptz,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT courses_published_has_time CHECK (status <> 'published' OR published_at IS NOT NULL)
  )`

const courseTranslations = sql`CREATE TABLE course_translations (
    course_id uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    locale text NOT NULL CONSTRAINT course_translations_locale_check CHECK (locale ${sql.raw(LOCALE)}),
    title text NOT NULL CONSTRAINT course_translations_title_check CHECK (char_length(title) BETWEEN 1 AND 200),
    summary text NOT NULL CONSTRAINT course_translations_summary_check CHECK (char_length(summary) <= 2000),
    search_text text NOT NULL,
    search_trigrams text[] NOT NULL,
    search_vector tsvector NOT NULL,
    PRIMARY KEY (course_id, locale)
  )`

const modules = sql`CREATE TABLE course_modules (
    id uuid PRIMARY KEY,
    course_id uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    position integer NOT NULL CONSTRAINT course_modules_position_check CHECK (position >= 0),
    CONSTRAINT course_modules_position_key UNIQUE (course_id, position) DEFERRABLE INITIALLY DEFERRED
  )`

const moduleTranslations = sql`CREATE TABLE course_module_translations (
    module_id uuid NOT NULL REFERENCES course_modules (id) ON DELETE CASCADE,
    locale text NOT NULL CONSTRAINT course_module_translations_locale_check CHECK (locale ${sql.raw(LOCALE)}),
    title text NOT NULL CONSTRAINT course_module_translations_title_check CHECK (char_length(title) BETWEEN 1 AND 200),
    PRIMARY KEY (module_id, locale)
  )`

const lessons = sql`CREATE TABLE lessons (
    id uuid PRIMARY KEY,
    module_id uuid NOT NULL REFERENCES course_modules (id) ON DELETE CASCADE,
    position integer NOT NULL CONSTRAINT lessons_position_check CHECK (position >= 0),
    kind text NOT NULL CONSTRAINT lessons_kind_check CHECK (kind IN ('text', 'video', 'quiz')),
    video_url text CONSTRAINT lessons_video_url_check CHECK (video_url ~ '^https://[^\\s<>"]+$' AND char_length(video_url) <= 500),
    required boolean NOT NULL DEFAULT true,
    duration_minutes integer CONSTRAINT lessons_duration_check CHECK (duration_minutes BETWEEN 1 AND 600),
    CONSTRAINT lessons_position_key UNIQUE (module_id, position) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT lessons_video_has_url CHECK (kind <> 'video' OR video_url IS NOT NULL)
  )`

const lessonTranslations = sql`CREATE TABLE lesson_translations (
    lesson_id uuid NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    locale text NOT NULL CONSTRAINT lesson_translations_locale_check CHECK (locale ${sql.raw(LOCALE)}),
    title text NOT NULL CONSTRAINT lesson_translations_title_check CHECK (char_length(title) BETWEEN 1 AND 200),
    body_markdown text NOT NULL CONSTRAINT lesson_translations_body_check CHECK (char_length(body_markdown) <= 100000),
    PRIMARY KEY (lesson_id, locale)
  )`

const instructors = sql`CREATE TABLE course_instructors (
    id uuid PRIMARY KEY,
    course_id uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    user_id uuid REFERENCES users (id) ON DELETE CASCADE,
    display_name text NOT NULL CONSTRAINT course_instructors_name_check CHECK (char_length(display_name) BETWEEN 1 AND 120),
    position integer NOT NULL CONSTRAINT course_instructors_position_check CHECK (position >= 0),
    CONSTRAINT course_instructors_user_key UNIQUE (course_id, user_id)
  )`

// pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it. Where it is
// missing (PGlite without the contrib bundle) or refused, search falls back to search_trigrams.
const trigramExtension = sql`DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX course_translations_trgm_idx ON course_translations USING gin (search_text gin_trgm_ops);
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'pg_trgm not created (%); catalogue search uses its own trigrams', SQLERRM;
END $$`

const statements = [
  courses,
  // The public catalogue lists published courses newest first.
  sql`CREATE INDEX courses_published_idx ON courses (status, published_at DESC, slug)`,
  sql`CREATE INDEX courses_created_by_idx ON courses (created_by)`,
  courseTranslations,
  sql`CREATE INDEX course_translations_search_idx ON course_translations USING gin (search_vector)`,
  sql`CREATE INDEX course_translations_trigrams_idx ON course_translations USING gin (search_trigrams)`,
  modules,
  moduleTranslations,
  lessons,
  lessonTranslations,
  instructors,
  sql`CREATE INDEX course_instructors_user_idx ON course_instructors (user_id)`,
  trigramExtension,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db)
}

/**
 * Learning, authoring (src/modules/learning, issue 5 "Instructors and
 * admins"): `course_media` keeps the files authors upload — a course's cover
 * picture (re-encoded to WebP, metadata stripped) and lesson attachments —
 * in the database, so every web process serves the same files and a
 * database backup holds them. Content types are decided from the bytes, not
 * from what the browser claimed.
 */
import { sql, type Kysely } from 'kysely'

const media = sql`CREATE TABLE course_media (
    id uuid PRIMARY KEY,
    course_id uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    lesson_id uuid REFERENCES lessons (id) ON DELETE CASCADE,
    kind text NOT NULL CONSTRAINT course_media_kind_check CHECK (kind IN ('cover', 'attachment')),
    content_type text NOT NULL CONSTRAINT course_media_type_check CHECK (content_type IN (
      'image/webp', 'image/png', 'image/jpeg', 'application/pdf', 'application/zip',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')),
    file_name text CONSTRAINT course_media_name_check CHECK (char_length(file_name) BETWEEN 1 AND 200),
    byte_size integer NOT NULL CONSTRAINT course_media_size_check CHECK (byte_size BETWEEN 1 AND 20971520),
    bytes bytea NOT NULL,
    created_at timestamptz NOT NULL,
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT course_media_attachment_has_lesson CHECK (kind <> 'attachment' OR (lesson_id IS NOT NULL AND file_name IS NOT NULL))
  )`

export async function up(db: Kysely<unknown>): Promise<void> {
  await media.execute(db)
  await sql`CREATE INDEX course_media_course_idx ON course_media (course_id, kind)`.execute(db)
  await sql`CREATE INDEX course_media_lesson_idx ON course_media (lesson_id) WHERE lesson_id IS NOT NULL`.execute(db)
  await sql`CREATE INDEX course_media_created_by_idx ON course_media (created_by)`.execute(db)
}

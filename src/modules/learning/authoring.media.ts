/**
 * Course files: the cover picture. An upload is judged by its bytes (JPEG,
 * PNG or WebP magic numbers, at most 5 MB), then re-encoded with sharp to a
 * 1200×675 WebP — which drops every metadata block (camera, GPS location,
 * author names) the original carried. Files live in `course_media`, so all
 * web processes and backups have them; `/media/covers/<id>.webp` serves a
 * cover (new id per upload, cached for a year).
 */
import { randomUUID } from 'node:crypto'
import multipart from '@fastify/multipart'
import sharp from 'sharp'
import { Type } from 'typebox'
import { requireUser } from '../accounts/index'
import { inTransaction, type Ctx } from '../../platform/context'
import type { Db } from '../../platform/db/database'
import type { HttpApp } from '../../platform/http/http-app'
import { FileRejectedError } from './authoring.errors'
import type { AuditLog } from '../../platform/audit/index'
import { CourseNotFoundError } from './learning.errors'
import { canEditCourse } from './learning.policies'
import { instructorUserIds, lessonPlace, lockCourse } from './courses.repository'
import { findCourseById } from './catalogue.repository'
import { isEnrolled } from './progress.repository'
import type { CourseService } from './courses.service'
import type { CourseMediaTables } from './learning.tables'

export const COVER_MAX_BYTES = 5 * 1024 * 1024
export const ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
/** Attachments one lesson may have. */
export const ATTACHMENTS_PER_LESSON = 20
export const COVER_SIZE = { width: 1200, height: 675 } as const
/** Decoding limit: a small file must not expand into a huge bitmap. */
const MAX_INPUT_PIXELS = 40_000_000

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp'

const startsWith = (bytes: Uint8Array, at: number, magic: readonly number[]) =>
  bytes.length >= at + magic.length && magic.every((b, i) => bytes[at + i] === b)

/** The image type the bytes really are (never what the browser said), or undefined. */
export function sniffImage(bytes: Uint8Array): ImageType | undefined {
  if (startsWith(bytes, 0, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (startsWith(bytes, 0, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, 8, [0x57, 0x45, 0x42, 0x50]))
    return 'image/webp'
  return undefined
}

const OOXML = [
  { prefix: 'word/', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: 'docx' },
  { prefix: 'ppt/', type: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', ext: 'pptx' },
  { prefix: 'xl/', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx' },
] as const

/** The names in a ZIP archive's central directory (empty when it cannot be read). */
export function zipEntryNames(bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  // The end-of-central-directory record sits in the last 22 + 65535 (comment) bytes.
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 65_535); at--) {
    if (view.getUint32(at, true) !== 0x06054b50) continue
    const count = view.getUint16(at + 10, true)
    let p = view.getUint32(at + 16, true)
    const names: string[] = []
    const decoder = new TextDecoder()
    for (let i = 0; i < count && p + 46 <= bytes.length; i++) {
      if (view.getUint32(p, true) !== 0x02014b50) return names
      const nameLength = view.getUint16(p + 28, true)
      const skip = nameLength + view.getUint16(p + 30, true) + view.getUint16(p + 32, true)
      names.push(decoder.decode(bytes.subarray(p + 46, p + 46 + nameLength)))
      p += 46 + skip
    }
    return names
  }
  return []
}

export interface AttachmentType {
  contentType: string
  ext: string
}

/** What an attachment really is, from its bytes: PDF, DOCX, PPTX, XLSX, ZIP, PNG or JPEG; undefined otherwise. */
export function sniffAttachment(bytes: Uint8Array): AttachmentType | undefined {
  if (startsWith(bytes, 0, [0x25, 0x50, 0x44, 0x46, 0x2d])) return { contentType: 'application/pdf', ext: 'pdf' }
  const image = sniffImage(bytes)
  if (image === 'image/png') return { contentType: image, ext: 'png' }
  if (image === 'image/jpeg') return { contentType: image, ext: 'jpg' }
  if (startsWith(bytes, 0, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, 0, [0x50, 0x4b, 0x05, 0x06])) {
    const names = zipEntryNames(bytes)
    if (names.includes('[Content_Types].xml')) {
      const office = OOXML.find((o) => names.some((n) => n.startsWith(o.prefix)))
      if (office) return { contentType: office.type, ext: office.ext }
    }
    return { contentType: 'application/zip', ext: 'zip' }
  }
  return undefined
}

/**
 * The name a file downloads as: the base name the author's browser sent, without control
 * characters, path parts or quotes, ending in the extension of what the bytes are.
 */
export function attachmentName(sent: string | undefined, type: AttachmentType): string {
  const base = (sent ?? '')
    .split(/[\\/]/)
    .pop()!
    .replace(/\p{Cc}|["<>:|?*]/gu, '')
    .trim()
  const stem = base.replace(/\.[A-Za-z0-9]{1,5}$/, '').slice(0, 180) || 'file'
  return `${stem}.${type.ext}`
}

/** Re-encodes a cover: turned upright, cropped to 16:9, WebP, without metadata. */
export async function encodeCover(bytes: Uint8Array): Promise<Buffer> {
  if (bytes.length === 0) throw new FileRejectedError('missing')
  if (bytes.length > COVER_MAX_BYTES) throw new FileRejectedError('size')
  if (!sniffImage(bytes)) throw new FileRejectedError('type')
  try {
    return await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize(COVER_SIZE.width, COVER_SIZE.height, { fit: 'cover', position: 'attention' })
      .webp({ quality: 80 })
      .toBuffer()
  } catch {
    throw new FileRejectedError('unreadable')
  }
}

export interface MediaService {
  /** Lets `scope` (one plugin scope) accept multipart forms with one file of at most 5 MB. */
  registerMultipart(scope: HttpApp): Promise<void>
  /** Stores a new cover for the course (the service checks the actor may change it) and drops the old one. */
  setCover(ctx: Ctx, courseId: string, file: Uint8Array | null): Promise<void>
  removeCover(ctx: Ctx, courseId: string): Promise<void>
  /** Adds a file to a lesson (an author of its course only). */
  addAttachment(ctx: Ctx, courseId: string, lessonId: string, file: UploadedFile | null): Promise<{ id: string }>
  /** Removes a lesson's file (an author of its course only). */
  removeAttachment(ctx: Ctx, courseId: string, fileId: string): Promise<void>
  /** The files of a course's lessons, for its editor and pages. */
  attachments(ctx: Ctx, courseId: string): Promise<AttachmentRow[]>
  /** The URL a stored cover path is served at. */
  coverUrl(path: string): string
  /** GET /media/covers/:file */
  registerServing(app: HttpApp): void
}

/** A file as the multipart form delivered it. */
export interface UploadedFile {
  bytes: Uint8Array
  filename?: string
}

export interface AttachmentRow {
  id: string
  lessonId: string
  fileName: string
  contentType: string
  byteSize: number
}

/** The URL a stored media path (`covers/<id>.webp`) is served at. */
export const mediaUrl = (path: string) => `/media/${path}`

/** The download URL of an attachment. */
export const attachmentUrl = (id: string) => `/media/files/${id}`

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const FileParams = Type.Object({ id: Type.String({ maxLength: 64 }) })

const COVER_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.webp$/
const CoverParams = Type.Object({ file: Type.String({ maxLength: 64 }) })

const tables = (db: Db) => db.withTables<CourseMediaTables>()

export function createMediaService(deps: { courses: CourseService; audit: Pick<AuditLog, 'record'> }): MediaService {
  const { courses, audit } = deps

  /** Locks the course and checks the actor may change it (the same rule as every authoring write). */
  async function editable(ctx: Ctx, courseId: string): Promise<void> {
    const course = await lockCourse(ctx.db, courseId)
    if (!course) throw new CourseNotFoundError()
    const facts = { createdBy: course.created_by, instructorUserIds: await instructorUserIds(ctx.db, courseId) }
    if (!canEditCourse(ctx.actor, facts)) throw new CourseNotFoundError()
  }

  async function dropCovers(db: Db, courseId: string, keepId?: string): Promise<void> {
    let q = tables(db).deleteFrom('course_media').where('course_id', '=', courseId).where('kind', '=', 'cover')
    if (keepId) q = q.where('id', '<>', keepId)
    await q.execute()
  }

  return {
    async registerMultipart(scope) {
      await scope.register(multipart, {
        attachFieldsToBody: 'keyValues',
        // A file field becomes { bytes, filename } (read into memory within the limit; larger is a 413).
        onFile: async (part) => {
          const bytes = await part.toBuffer()
          ;(part as unknown as { value: UploadedFile }).value = { bytes, filename: part.filename }
        },
        limits: { fileSize: ATTACHMENT_MAX_BYTES, files: 1, fields: 4, parts: 5, fieldSize: 1000 },
      })
    },

    async addAttachment(ctx, courseId, lessonId, file) {
      if (!file || file.bytes.length === 0) throw new FileRejectedError('missing')
      if (file.bytes.length > ATTACHMENT_MAX_BYTES) throw new FileRejectedError('size')
      const type = sniffAttachment(file.bytes)
      if (!type) throw new FileRejectedError('type')
      const id = randomUUID()
      await inTransaction(ctx, async (tx) => {
        await editable(tx, courseId)
        const place = await lessonPlace(tx.db, lessonId)
        if (place?.courseId !== courseId) throw new CourseNotFoundError()
        const count = await tables(tx.db)
          .selectFrom('course_media')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('lesson_id', '=', lessonId)
          .executeTakeFirstOrThrow()
        if (Number(count.n) >= ATTACHMENTS_PER_LESSON) throw new FileRejectedError('count')
        await tables(tx.db)
          .insertInto('course_media')
          .values({
            id,
            course_id: courseId,
            lesson_id: lessonId,
            kind: 'attachment',
            content_type: type.contentType,
            file_name: attachmentName(file.filename, type),
            byte_size: file.bytes.length,
            bytes: file.bytes,
            created_at: tx.now,
            created_by: tx.actor?.kind === 'user' ? tx.actor.id : null,
          })
          .execute()
        await audit.record(tx, {
          action: 'course.attachment_added',
          targetType: 'course',
          targetId: courseId,
          data: { lessonId, fileId: id, bytes: file.bytes.length },
        })
      })
      return { id }
    },

    async removeAttachment(ctx, courseId, fileId) {
      if (!UUID.test(fileId)) throw new CourseNotFoundError()
      await inTransaction(ctx, async (tx) => {
        await editable(tx, courseId)
        const gone = await tables(tx.db)
          .deleteFrom('course_media')
          .where('id', '=', fileId)
          .where('course_id', '=', courseId)
          .where('kind', '=', 'attachment')
          .returning('lesson_id')
          .executeTakeFirst()
        if (!gone) throw new CourseNotFoundError()
        await audit.record(tx, {
          action: 'course.attachment_removed',
          targetType: 'course',
          targetId: courseId,
          data: { lessonId: gone.lesson_id ?? '', fileId },
        })
      })
    },

    async attachments(ctx, courseId) {
      const rows = await tables(ctx.db)
        .selectFrom('course_media')
        .select(['id', 'lesson_id', 'file_name', 'content_type', 'byte_size'])
        .where('course_id', '=', courseId)
        .where('kind', '=', 'attachment')
        .orderBy('created_at')
        .orderBy('id')
        .execute()
      return rows.map((r) => ({
        id: r.id,
        lessonId: r.lesson_id!,
        fileName: r.file_name!,
        contentType: r.content_type,
        byteSize: r.byte_size,
      }))
    },

    async setCover(ctx, courseId, file) {
      const webp = await encodeCover(file ?? new Uint8Array())
      const id = randomUUID()
      await inTransaction(ctx, async (tx) => {
        // Authorises and records course.cover_set first; the file joins the same transaction.
        await courses.setCover(tx, courseId, `covers/${id}.webp`)
        await tables(tx.db)
          .insertInto('course_media')
          .values({
            id,
            course_id: courseId,
            lesson_id: null,
            kind: 'cover',
            content_type: 'image/webp',
            file_name: null,
            byte_size: webp.length,
            bytes: webp,
            created_at: tx.now,
            created_by: tx.actor?.kind === 'user' ? tx.actor.id : null,
          })
          .execute()
        await dropCovers(tx.db, courseId, id)
      })
    },

    async removeCover(ctx, courseId) {
      await inTransaction(ctx, async (tx) => {
        await courses.setCover(tx, courseId, null)
        await dropCovers(tx.db, courseId)
      })
    },

    coverUrl: mediaUrl,

    registerServing(app) {
      // A lesson's file: its course's authors, and the learners enrolled in the published (or
      // archived) course; everyone else gets the same 404 as for no file. Never rendered by the browser.
      app.get(
        '/media/files/:id',
        { preHandler: requireUser, schema: { hide: true, params: FileParams } },
        async (req, reply) => {
          if (!UUID.test(req.params.id)) return reply.callNotFound()
          const row = await tables(req.ctx.db)
            .selectFrom('course_media')
            .select(['bytes', 'content_type', 'file_name', 'course_id'])
            .where('id', '=', req.params.id)
            .where('kind', '=', 'attachment')
            .executeTakeFirst()
          if (!row) return reply.callNotFound()
          const course = await findCourseById(req.ctx.db, row.course_id)
          if (!course) return reply.callNotFound()
          const facts = {
            createdBy: course.created_by,
            instructorUserIds: await instructorUserIds(req.ctx.db, course.id),
          }
          // Authors always; otherwise only the course's learners, and never for a draft.
          const actor = req.ctx.actor
          const learner =
            course.status !== 'draft' && actor?.kind === 'user' && (await isEnrolled(req.ctx.db, actor.id, course.id))
          if (!canEditCourse(actor, facts) && !learner) return reply.callNotFound()
          return reply
            .type(row.content_type)
            .header('content-disposition', contentDisposition(row.file_name ?? 'file'))
            .header('x-content-type-options', 'nosniff')
            .header('cache-control', 'private, no-store')
            .header('content-security-policy', "default-src 'none'; sandbox")
            .send(Buffer.from(row.bytes))
        },
      )

      app.get('/media/covers/:file', { schema: { hide: true, params: CoverParams } }, async (req, reply) => {
        const m = COVER_FILE.exec(req.params.file)
        if (!m) return reply.callNotFound()
        const row = await tables(req.ctx.db)
          .selectFrom('course_media')
          .select(['bytes', 'content_type'])
          .where('id', '=', m[1]!)
          .where('kind', '=', 'cover')
          .executeTakeFirst()
        if (!row) return reply.callNotFound()
        return reply
          .type(row.content_type)
          .header('cache-control', 'public, max-age=31536000, immutable')
          .header('x-content-type-options', 'nosniff')
          .send(Buffer.from(row.bytes))
      })
    },
  }
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266, RFC 5987). */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`
}

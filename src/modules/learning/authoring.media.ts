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
import { inTransaction, type Ctx } from '../../platform/context'
import type { Db } from '../../platform/db/database'
import type { HttpApp } from '../../platform/http/http-app'
import { FileRejectedError } from './authoring.errors'
import type { CourseService } from './courses.service'
import type { CourseMediaTables } from './learning.tables'

export const COVER_MAX_BYTES = 5 * 1024 * 1024
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
  /** The URL a stored cover path is served at. */
  coverUrl(path: string): string
  /** GET /media/covers/:file */
  registerServing(app: HttpApp): void
}

const COVER_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.webp$/
const CoverParams = Type.Object({ file: Type.String({ maxLength: 64 }) })

const tables = (db: Db) => db.withTables<CourseMediaTables>()

export function createMediaService(deps: { courses: CourseService }): MediaService {
  const { courses } = deps

  async function dropCovers(db: Db, courseId: string, keepId?: string): Promise<void> {
    let q = tables(db).deleteFrom('course_media').where('course_id', '=', courseId).where('kind', '=', 'cover')
    if (keepId) q = q.where('id', '<>', keepId)
    await q.execute()
  }

  return {
    async registerMultipart(scope) {
      await scope.register(multipart, {
        attachFieldsToBody: 'keyValues',
        limits: { fileSize: COVER_MAX_BYTES, files: 1, fields: 4, parts: 5, fieldSize: 1000 },
      })
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

    coverUrl(path) {
      return `/media/${path}`
    },

    registerServing(app) {
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

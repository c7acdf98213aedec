/**
 * Avatar pictures (B-2.2): the type is decided by the file's own bytes
 * (JPEG, PNG or WebP signatures), never by its name or the browser's
 * Content-Type; the picture is decoded and re-encoded with sharp to a WebP
 * of at most AVATAR_SIZE×AVATAR_SIZE. Re-encoding writes no metadata: EXIF
 * (with GPS position and camera serials), XMP and ICC are all dropped.
 */
import sharp from 'sharp'
import { AvatarRejectedError } from './accounts.errors'

/** Largest upload accepted, in bytes. */
export const AVATAR_MAX_BYTES = 5 * 1024 * 1024
/** Edge of the stored square picture, in pixels. */
export const AVATAR_SIZE = 256
/** Decoding refuses pictures above this many pixels (a "decompression bomb" of a small file). */
const MAX_INPUT_PIXELS = 40_000_000

export type AvatarSourceType = 'jpeg' | 'png' | 'webp'

/** The picture type its first bytes announce, or undefined for anything else. */
export function sniffImageType(bytes: Uint8Array): AvatarSourceType | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg'
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png'
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'webp'
  return undefined
}

export interface ProcessedAvatar {
  webp: Buffer
  width: number
  height: number
}

/**
 * Checks and re-encodes an upload. Throws AvatarRejectedError: `missing`
 * (empty), `too_large`, `type` (not JPEG/PNG/WebP by its bytes, or bytes that
 * decode as another type), `corrupt` (announced type, unreadable picture).
 */
export async function processAvatar(bytes: Uint8Array, truncated = false): Promise<ProcessedAvatar> {
  if (bytes.byteLength === 0 && !truncated) throw new AvatarRejectedError('missing')
  if (truncated || bytes.byteLength > AVATAR_MAX_BYTES)
    throw new AvatarRejectedError('too_large', { mb: AVATAR_MAX_BYTES / 1024 / 1024 })
  const type = sniffImageType(bytes)
  if (!type) throw new AvatarRejectedError('type')
  try {
    const input = sharp(bytes, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS, animated: false })
    const meta = await input.metadata()
    if (meta.format !== type) throw new AvatarRejectedError('type')
    const { data, info } = await input
      .rotate() // apply the EXIF orientation before the EXIF block is dropped
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: 'cover', position: 'attention', withoutEnlargement: true })
      .webp({ quality: 82, effort: 4 })
      .toBuffer({ resolveWithObject: true })
    return { webp: data, width: info.width, height: info.height }
  } catch (err) {
    if (err instanceof AvatarRejectedError) throw err
    throw new AvatarRejectedError('corrupt')
  }
}

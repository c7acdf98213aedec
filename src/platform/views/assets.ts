/**
 * Static assets under /assets/: the stylesheet and icon from `public/`, and
 * the Noto Sans web font (from the @fontsource-variable/noto-sans package)
 * under /assets/fonts/. Everything is cached for a year; the layout links
 * files with a content hash (`?v=`) so a new release is fetched at once.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { HttpApp } from '../http/http-app'

export const PUBLIC_DIR = fileURLToPath(new URL('../../../public', import.meta.url))
export const FONTS_DIR = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@fontsource-variable/noto-sans/package.json')),
  'files',
)

/**
 * The font files the stylesheet declares (variable weight, upright): Latin
 * and Cyrillic. Cyrillic (U+0400–045F) carries І і and Ұ ұ; Cyrillic
 * Extended (U+0460–052F) carries Ә Ғ Қ Ң Ө Ү Һ.
 */
export const FONT_FILES = ['latin', 'latin-ext', 'cyrillic', 'cyrillic-ext'].map(
  (subset) => `noto-sans-${subset}-wght-normal.woff2`,
)

const YEAR_SECONDS = 31_536_000
const hashes = new Map<string, string>()

/** `/assets/<file>?v=<content hash>` for a file in `public/`. */
export function assetUrl(file: string): string {
  let hash = hashes.get(file)
  if (hash === undefined) {
    hash = createHash('sha256')
      .update(fs.readFileSync(path.join(PUBLIC_DIR, file)))
      .digest('hex')
      .slice(0, 12)
    hashes.set(file, hash)
  }
  return `/assets/${file}?v=${hash}`
}

/** Serves `public/` at /assets/ and the web font at /assets/fonts/. */
export async function registerAssets(app: HttpApp): Promise<void> {
  const common = {
    cacheControl: true,
    maxAge: YEAR_SECONDS * 1000,
    immutable: true,
    index: false as const,
    list: false,
  }
  await app.register(fastifyStatic, { ...common, root: PUBLIC_DIR, prefix: '/assets/' })
  const fonts = new Set(FONT_FILES)
  await app.register(fastifyStatic, {
    ...common,
    root: FONTS_DIR,
    prefix: '/assets/fonts/',
    decorateReply: false,
    allowedPath: (pathName) => fonts.has(pathName.replace(/^\//, '')),
  })
}

/**
 * Every Kazakh letter (Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі) is drawn by the web font:
 * for each letter, the stylesheet declares a Noto Sans face whose
 * unicode-range covers it, and that face's WOFF2 file really has the glyph
 * (read from the font's own cmap table, no system tools needed).
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { describe, it } from 'node:test'
import { FONTS_DIR, FONT_FILES, PUBLIC_DIR } from './assets'

const KAZAKH_LETTERS = [...'ӘәҒғҚқҢңӨөҰұҮүҺһІі']

function readBase128(buf: Buffer, pos: { at: number }): number {
  let value = 0
  for (let i = 0; i < 5; i++) {
    const byte = buf[pos.at++]!
    value = value * 128 + (byte & 0x7f)
    if ((byte & 0x80) === 0) return value
  }
  throw new Error('bad UIntBase128')
}

/** The decompressed `cmap` table of a WOFF2 font (WOFF2 §5: table directory, one Brotli stream). */
function woff2Cmap(file: string): Buffer {
  const buf = fs.readFileSync(file)
  assert.equal(buf.toString('latin1', 0, 4), 'wOF2', `${file} is not WOFF2`)
  const numTables = buf.readUInt16BE(12)
  const compressedSize = buf.readUInt32BE(20)
  const pos = { at: 48 }
  let offset = 0
  let cmap: { offset: number; length: number } | undefined
  for (let i = 0; i < numTables; i++) {
    const flags = buf[pos.at++]!
    const tagIndex = flags & 0x3f
    const version = flags >> 6
    let tag = ''
    if (tagIndex === 63) {
      tag = buf.toString('latin1', pos.at, pos.at + 4)
      pos.at += 4
    }
    const origLength = readBase128(buf, pos)
    // glyf (10) and loca (11) are transformed at version 0; every other table at a non-zero version.
    const transformed = tagIndex === 10 || tagIndex === 11 ? version === 0 : version !== 0
    const length = transformed ? readBase128(buf, pos) : origLength
    if (tagIndex === 0 || tag === 'cmap') cmap = { offset, length }
    offset += length
  }
  assert.ok(cmap, `${file} has no cmap table`)
  const data = zlib.brotliDecompressSync(buf.subarray(pos.at, pos.at + compressedSize))
  return data.subarray(cmap.offset, cmap.offset + cmap.length)
}

/** Code points mapped to a real glyph by the best Unicode subtable (format 12 or 4). */
function coveredCodePoints(cmap: Buffer): Set<number> {
  const covered = new Set<number>()
  const subtables = Array.from({ length: cmap.readUInt16BE(2) }, (_, i) => cmap.readUInt32BE(4 + i * 8 + 4))
  const formats = subtables.map((o) => ({ o, format: cmap.readUInt16BE(o) }))
  const best = formats.find((s) => s.format === 12) ?? formats.find((s) => s.format === 4)
  assert.ok(best, 'no Unicode cmap subtable')
  const o = best.o
  if (best.format === 12) {
    const groups = cmap.readUInt32BE(o + 12)
    for (let g = 0; g < groups; g++) {
      const start = cmap.readUInt32BE(o + 16 + g * 12)
      const end = cmap.readUInt32BE(o + 20 + g * 12)
      for (let c = start; c <= end; c++) covered.add(c)
    }
    return covered
  }
  const segCount = cmap.readUInt16BE(o + 6) / 2
  const ends = o + 14
  const starts = ends + segCount * 2 + 2
  const deltas = starts + segCount * 2
  const rangeOffsets = deltas + segCount * 2
  for (let s = 0; s < segCount; s++) {
    const start = cmap.readUInt16BE(starts + s * 2)
    const end = cmap.readUInt16BE(ends + s * 2)
    const delta = cmap.readInt16BE(deltas + s * 2)
    const rangeOffset = cmap.readUInt16BE(rangeOffsets + s * 2)
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph = rangeOffset === 0 ? c : cmap.readUInt16BE(rangeOffsets + s * 2 + rangeOffset + (c - start) * 2)
      if (rangeOffset !== 0 && glyph === 0) continue
      glyph = (glyph + delta) & 0xffff
      if (glyph !== 0) covered.add(c)
    }
  }
  return covered
}

interface FontFace {
  family: string
  file: string
  ranges: [number, number][]
}

function fontFaces(css: string): FontFace[] {
  return [...css.matchAll(/@font-face\s*{([^}]*)}/g)].map(([, body = '']) => {
    const family = /font-family:\s*'([^']+)'/.exec(body)?.[1] ?? ''
    const file = /url\(fonts\/([^)]+)\)/.exec(body)?.[1] ?? ''
    const ranges = (/unicode-range:\s*([^;]+);/.exec(body)?.[1] ?? '')
      .split(',')
      .map((r) => r.trim().replace(/^U\+/i, ''))
      .filter(Boolean)
      .map((r) => r.split('-').map((h) => parseInt(h, 16)))
      .map(([a = 0, b]) => [a, b ?? a] as [number, number])
    return { family, file, ranges }
  })
}

describe('web font coverage of Kazakh', () => {
  const css = fs.readFileSync(path.join(PUBLIC_DIR, 'app.css'), 'utf8')
  const faces = fontFaces(css)

  it('declares only font files that are served, with font-display: swap', () => {
    assert.ok(faces.length > 0)
    for (const face of faces) assert.ok(FONT_FILES.includes(face.file), `${face.file} is not in FONT_FILES`)
    assert.equal((css.match(/font-display:\s*swap/g) ?? []).length, faces.length)
  })

  it('serves font files that exist', () => {
    for (const file of FONT_FILES) assert.ok(fs.existsSync(path.join(FONTS_DIR, file)), file)
  })

  for (const letter of KAZAKH_LETTERS) {
    const cp = letter.codePointAt(0)!
    it(`${letter} (U+${cp.toString(16).toUpperCase().padStart(4, '0')}) is in a declared face whose file has the glyph`, () => {
      // Overlapping unicode-ranges are tried last-declared first (CSS Fonts 4 §4.5).
      const face = [...faces]
        .reverse()
        .find((f) => f.family === 'Noto Sans' && f.ranges.some(([a, b]) => cp >= a && cp <= b))
      assert.ok(face, `no @font-face unicode-range covers ${letter}`)
      assert.ok(coveredCodePoints(woff2Cmap(path.join(FONTS_DIR, face.file))).has(cp), `${face.file} lacks ${letter}`)
    })
  }

  it('the cmap reader agrees with a file that lacks Kazakh letters (Latin subset)', () => {
    const latin = coveredCodePoints(woff2Cmap(path.join(FONTS_DIR, 'noto-sans-latin-wght-normal.woff2')))
    assert.ok(latin.has(0x41) && latin.has(0xab))
    assert.ok(!latin.has(0x04d8) && !latin.has(0x0456))
  })
})

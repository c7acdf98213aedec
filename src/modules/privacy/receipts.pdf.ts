/**
 * The consent receipt as a PDF: the same presentation as the HTML page, set
 * in DejaVu Sans (embedded, subset) so every Kazakh letter renders and the
 * text can be selected, searched and extracted.
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import fontkit from '@pdf-lib/fontkit'
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib'
import type { ReceiptView } from './receipts.presenter'

const resolvePackage = createRequire(import.meta.url).resolve
let fontBytes: { regular: Buffer; bold: Buffer } | undefined

/** DejaVu Sans regular and bold from the `dejavu-fonts-ttf` package, read once. */
function fonts(): { regular: Buffer; bold: Buffer } {
  fontBytes ??= {
    regular: fs.readFileSync(resolvePackage('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    bold: fs.readFileSync(resolvePackage('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  }
  return fontBytes
}

const A4: [number, number] = [595.28, 841.89]
const MARGIN = 56
const WIDTH = A4[0] - 2 * MARGIN
const INK = rgb(0.07, 0.11, 0.16)
const MUTED = rgb(0.3, 0.35, 0.42)

/** Splits text into lines that fit `width`; a word longer than a line (a hash) is broken by characters. */
export function wrapText(text: string, font: PDFFont, size: number, width: number): string[] {
  const fits = (s: string) => font.widthOfTextAtSize(s, size) <= width
  const lines: string[] = []
  for (const paragraph of text.split('\n')) {
    let line = ''
    for (let word of paragraph.split(/\s+/).filter(Boolean)) {
      while (!fits(word)) {
        let cut = word.length - 1
        while (cut > 1 && !fits(word.slice(0, cut))) cut--
        if (line) lines.push(line)
        lines.push(word.slice(0, cut))
        line = ''
        word = word.slice(cut)
      }
      const candidate = line ? `${line} ${word}` : word
      if (fits(candidate)) line = candidate
      else {
        lines.push(line)
        line = word
      }
    }
    lines.push(line)
  }
  return lines
}

interface Writer {
  text(s: string, opts?: { bold?: boolean; size?: number; indent?: number; color?: typeof INK; gap?: number }): void
  space(points: number): void
}

function createWriter(doc: PDFDocument, regular: PDFFont, bold: PDFFont): Writer {
  let page: PDFPage = doc.addPage(A4)
  let y = A4[1] - MARGIN
  return {
    text(s, opts = {}) {
      const size = opts.size ?? 10
      const font = opts.bold ? bold : regular
      const indent = opts.indent ?? 0
      const leading = size * 1.4
      for (const line of wrapText(s, font, size, WIDTH - indent)) {
        if (y - leading < MARGIN) {
          page = doc.addPage(A4)
          y = A4[1] - MARGIN
        }
        y -= leading
        page.drawText(line, { x: MARGIN + indent, y, size, font, color: opts.color ?? INK })
      }
      y -= opts.gap ?? 0
    },
    space(points) {
      y -= points
    },
  }
}

/** Renders the receipt as a PDF document (A4). */
export async function renderReceiptPdf(view: ReceiptView, issuedAt: Date): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  doc.registerFontkit(fontkit)
  const regular = await doc.embedFont(fonts().regular, { subset: true })
  const bold = await doc.embedFont(fonts().bold, { subset: true })
  doc.setTitle(view.title)
  doc.setAuthor(view.operatorName)
  doc.setLanguage(view.locale)
  doc.setCreator('Oqu')
  doc.setProducer('Oqu (pdf-lib)')
  doc.setCreationDate(issuedAt)
  doc.setModificationDate(issuedAt)
  const w = createWriter(doc, regular, bold)
  w.text(view.title, { bold: true, size: 16, gap: 4 })
  w.text(view.operatorName, { size: 11, gap: 6 })
  w.text(view.lead, { size: 9, color: MUTED, gap: 10 })
  for (const item of view.items) {
    w.text(`${item.number}. ${item.label}`, { bold: true, size: 11, gap: 2 })
    if (item.text !== undefined) w.text(item.text, { indent: 14 })
    for (const entry of item.list ?? []) w.text(`• ${entry}`, { indent: 14 })
    for (const fact of item.facts ?? []) {
      w.text(fact.label, { indent: 14, size: 9, color: MUTED })
      w.text(fact.value, { indent: 14 })
    }
    w.space(8)
  }
  w.text(view.issued, { size: 9, color: MUTED })
  return doc.save()
}

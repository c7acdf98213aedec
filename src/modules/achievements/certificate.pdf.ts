/**
 * The certificate as a PDF (A4 landscape): the operator, the learner's full
 * name, the course in each of the certificate's languages, hours, completion
 * date, the code and a QR code of `<publicUrl>/verify/<code>`. Set in DejaVu
 * (embedded, subset), which covers every Kazakh letter (Ә Ғ Қ Ң Ө Ұ Ү Һ І),
 * so the text is real text: selectable, searchable, extractable. The QR
 * code's modules are drawn as vector squares (sharp at any zoom or print size).
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import fontkit from '@pdf-lib/fontkit'
import { PDFDocument, rgb, type PDFFont, type PDFPage, type RGB } from 'pdf-lib'
import QRCode from 'qrcode'
import type { Locale } from '../../platform/context'
import type { I18n } from '../../platform/i18n/i18n'
import type { CertificateFacts } from './achievements.service'

const resolvePackage = createRequire(import.meta.url).resolve
type FontName = 'sans' | 'sansBold' | 'serifBold'
const FONT_FILES: Record<FontName, string> = {
  sans: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  sansBold: 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
  serifBold: 'dejavu-fonts-ttf/ttf/DejaVuSerif-Bold.ttf',
}
let fontBytes: Record<FontName, Buffer> | undefined
function fontFiles(): Record<FontName, Buffer> {
  fontBytes ??= {
    sans: fs.readFileSync(resolvePackage(FONT_FILES.sans)),
    sansBold: fs.readFileSync(resolvePackage(FONT_FILES.sansBold)),
    serifBold: fs.readFileSync(resolvePackage(FONT_FILES.serifBold)),
  }
  return fontBytes
}

/** Page geometry in PDF points (origin bottom-left); the QR box is exported so tests can read it back. */
export const CERTIFICATE_LAYOUT = {
  width: 841.89,
  height: 595.28,
  margin: 48,
  /** The QR code's symbol (without quiet zone): left, bottom, side length. */
  qr: { x: 72, y: 72, size: 104 },
} as const

const NAVY = rgb(0.043, 0.227, 0.341)
const INK = rgb(0.07, 0.11, 0.16)
const MUTED = rgb(0.3, 0.35, 0.42)
const GOLD = rgb(0.83, 0.63, 0.13)
const RED = rgb(0.7, 0.1, 0.1)

/** Breaks `text` into lines no wider than `width` (words longer than a line are cut). */
function lines(text: string, font: PDFFont, size: number, width: number): string[] {
  const out: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word
    if (font.widthOfTextAtSize(candidate, size) <= width) {
      line = candidate
      continue
    }
    if (line) out.push(line)
    let rest = word
    while (font.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
      let cut = rest.length - 1
      while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--
      out.push(rest.slice(0, cut))
      rest = rest.slice(cut)
    }
    line = rest
  }
  if (line) out.push(line)
  return out
}

/** Writes centred lines downwards from `y`; returns the new baseline position. */
function centred(
  page: PDFPage,
  text: string,
  y: number,
  opts: { font: PDFFont; size: number; color?: RGB; width?: number },
): number {
  const { width: pageWidth, margin } = CERTIFICATE_LAYOUT
  const maxWidth = opts.width ?? pageWidth - 2 * margin - 48
  for (const line of lines(text, opts.font, opts.size, maxWidth)) {
    y -= opts.size * 1.3
    const w = opts.font.widthOfTextAtSize(line, opts.size)
    page.drawText(line, { x: (pageWidth - w) / 2, y, size: opts.size, font: opts.font, color: opts.color ?? INK })
  }
  return y
}

const formatDate = (locale: Locale, at: Date) =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'Asia/Almaty' }).format(at)

/** The same message in each of the certificate's languages, once each, joined by " / ". */
function inEach(languages: readonly Locale[], text: (l: Locale) => string): string {
  return [...new Set(languages.map(text))].join(' / ')
}

/** Draws the QR symbol of `text`, dark modules as squares, inside the layout's QR box. */
function drawQr(page: PDFPage, text: string): void {
  const { x, y, size } = CERTIFICATE_LAYOUT.qr
  const symbol = QRCode.create(text, { errorCorrectionLevel: 'M' })
  const n = symbol.modules.size
  const m = size / n
  // The quiet zone: four modules of white around the symbol.
  page.drawRectangle({ x: x - 4 * m, y: y - 4 * m, width: size + 8 * m, height: size + 8 * m, color: rgb(1, 1, 1) })
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      if (!symbol.modules.get(row, col)) continue
      page.drawRectangle({ x: x + col * m, y: y + size - (row + 1) * m, width: m, height: m, color: rgb(0, 0, 0) })
    }
  }
}

/** Renders the certificate; labels in each of its languages, the course title in each too. */
export async function renderCertificatePdf(facts: CertificateFacts, i18n: Pick<I18n, 't'>): Promise<Uint8Array> {
  if (facts.holderName === null) throw new Error('a certificate without its holder name cannot be rendered')
  const languages = facts.languages.length ? facts.languages : (['kk'] as Locale[])
  const first = languages[0]!
  const t = (l: Locale, key: string, values?: Record<string, string | number>) =>
    i18n.t(l, `achievements.pdf.${key}`, values)
  const { width, height, margin, qr } = CERTIFICATE_LAYOUT

  const doc = await PDFDocument.create()
  doc.registerFontkit(fontkit)
  const files = fontFiles()
  const sans = await doc.embedFont(files.sans, { subset: true })
  const sansBold = await doc.embedFont(files.sansBold, { subset: true })
  const serifBold = await doc.embedFont(files.serifBold, { subset: true })
  const operator = facts.operatorNames[first] ?? Object.values(facts.operatorNames)[0] ?? ''
  doc.setTitle(`${t(first, 'title')} ${facts.code}`)
  doc.setAuthor(operator)
  doc.setSubject(facts.courseTitles[first] ?? '')
  doc.setLanguage(first)
  doc.setCreator('Oqu')
  doc.setProducer('Oqu (pdf-lib)')
  doc.setCreationDate(facts.issuedAt)
  doc.setModificationDate(facts.revokedAt ?? facts.issuedAt)

  const page = doc.addPage([width, height])
  // Frame: a navy border and a thin gold rule inside it.
  page.drawRectangle({
    x: margin / 2,
    y: margin / 2,
    width: width - margin,
    height: height - margin,
    borderColor: NAVY,
    borderWidth: 6,
  })
  page.drawRectangle({
    x: margin / 2 + 10,
    y: margin / 2 + 10,
    width: width - margin - 20,
    height: height - margin - 20,
    borderColor: GOLD,
    borderWidth: 1.2,
  })

  let y = height - margin - 14
  y = centred(
    page,
    inEach(languages, (l) => facts.operatorNames[l] ?? operator),
    y,
    { font: sansBold, size: 11, color: NAVY },
  )
  y -= 14
  y = centred(
    page,
    inEach(languages, (l) => t(l, 'title')),
    y,
    { font: serifBold, size: 30, color: NAVY },
  )
  y -= 12
  y = centred(
    page,
    inEach(languages, (l) => t(l, 'certifies')),
    y,
    { font: sans, size: 11, color: MUTED },
  )
  y -= 6
  y = centred(page, facts.holderName, y, { font: serifBold, size: 26 })
  y -= 8
  y = centred(
    page,
    inEach(languages, (l) => t(l, 'completed')),
    y,
    { font: sans, size: 11, color: MUTED },
  )
  y -= 4
  for (const l of languages) {
    const title = facts.courseTitles[l]
    if (title) y = centred(page, `«${title}»`, y, { font: sansBold, size: 15 })
  }
  y -= 10
  y = centred(
    page,
    inEach(languages, (l) => t(l, 'hours', { hours: facts.durationHours })),
    y,
    { font: sans, size: 11 },
  )
  y = centred(
    page,
    inEach(languages, (l) => t(l, 'completedOn', { date: formatDate(l, facts.completedAt) })),
    y,
    {
      font: sans,
      size: 11,
    },
  )
  if (facts.revokedAt) {
    y -= 6
    centred(
      page,
      inEach(languages, (l) => t(l, 'revoked', { date: formatDate(l, facts.revokedAt!) })),
      y,
      {
        font: sansBold,
        size: 13,
        color: RED,
      },
    )
  }

  // Bottom: the QR code on the left, the code and where to check it beside it.
  drawQr(page, facts.verifyUrl)
  const textX = qr.x + qr.size + 24
  const textWidth = width - textX - margin - 24
  let by = qr.y + qr.size - 10
  page.drawText(
    inEach(languages, (l) => t(l, 'code')),
    { x: textX, y: by, size: 9, font: sans, color: MUTED },
  )
  by -= 20
  page.drawText(facts.code, { x: textX, y: by, size: 16, font: sansBold, color: INK })
  by -= 22
  for (const line of lines(
    inEach(languages, (l) => t(l, 'verifyAt')),
    sans,
    9,
    textWidth,
  )) {
    page.drawText(line, { x: textX, y: by, size: 9, font: sans, color: MUTED })
    by -= 12
  }
  page.drawText(facts.verifyUrl, { x: textX, y: by - 2, size: 10, font: sans, color: NAVY })
  page.drawText(
    inEach(languages, (l) => t(l, 'issuedOn', { date: formatDate(l, facts.issuedAt) })),
    {
      x: textX,
      y: qr.y - 2,
      size: 8,
      font: sans,
      color: MUTED,
    },
  )
  return doc.save()
}

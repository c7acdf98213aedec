// Issue 5: "a PDF certificate (learner's full name, course, hours, date, operator, a unique code and a
// QR code) rendered with fonts that cover every Kazakh letter". Checked by extracting the PDF's text
// with poppler's pdftotext, and by rasterising it with pdftoppm and reading the QR modules back.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { PDFDocument } from 'pdf-lib'
import QRCode from 'qrcode'
import { createI18n, loadLocaleFiles } from '../../platform/i18n/i18n'
import type { CertificateFacts } from './achievements.service'
import { CERTIFICATE_LAYOUT, renderCertificatePdf } from './certificate.pdf'
import { LOCALES_DIR } from './test-fixtures'

const PDFTOTEXT = '/usr/bin/pdftotext'
const PDFTOPPM = '/usr/bin/pdftoppm'
const i18n = createI18n(loadLocaleFiles(LOCALES_DIR))

/** Every letter of the Kazakh Cyrillic alphabet that Russian lacks, upper and lower case. */
const KAZAKH_LETTERS = 'ӘәҒғҚқҢңӨөҰұҮүҺһІі'

const facts = (over: Partial<CertificateFacts> = {}): CertificateFacts => ({
  code: 'OQU-7K3M-Q9TX-2HFD',
  holderName: 'Әбілқасымова Ғалия Құрманқызы',
  languages: ['kk', 'ru'],
  courseTitles: { kk: `Қазақ әліпбиі: ${KAZAKH_LETTERS}`, ru: 'Основы цифровой грамотности' },
  durationHours: 72,
  completedAt: new Date('2026-03-01T08:00:00Z'),
  issuedAt: new Date('2026-03-01T08:00:05Z'),
  operatorNames: {
    kk: '«Talap» коммерциялық емес акционерлік қоғамы',
    ru: 'Некоммерческое акционерное общество «Talap»',
  },
  revokedAt: null,
  verifyUrl: 'https://oqu.example.kz/verify/OQU-7K3M-Q9TX-2HFD',
  ...over,
})

function tempFile(bytes: Uint8Array): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'oqu-certificate-')), 'certificate.pdf')
  fs.writeFileSync(file, bytes)
  return file
}

const textOf = (file: string) =>
  execFileSync(PDFTOTEXT, ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')

/** Rasterises page 1 in grey at `dpi` and returns a pixel reader (0 black … 255 white) in PDF points. */
function raster(file: string, dpi: number): (x: number, y: number) => number {
  const out = path.join(path.dirname(file), 'page')
  execFileSync(PDFTOPPM, ['-gray', '-r', String(dpi), '-singlefile', file, out])
  const pgm = fs.readFileSync(`${out}.pgm`)
  // Binary PGM: "P5", width, height, maxval, then one byte per pixel.
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 50).toString('latin1'))
  assert.ok(header, 'a binary PGM')
  const [whole, w] = [header[0].length, Number(header[1])]
  const scale = dpi / 72
  return (x, y) => pgm[whole + Math.floor((CERTIFICATE_LAYOUT.height - y) * scale) * w + Math.floor(x * scale)]!
}

describe('certificate PDF', { skip: fs.existsSync(PDFTOTEXT) ? false : `${PDFTOTEXT} is not installed` }, () => {
  it('holds the name, course in both languages, hours, dates, operator and code as real text, every Kazakh letter included', async () => {
    const bytes = await renderCertificatePdf(facts(), i18n)
    const doc = await PDFDocument.load(bytes)
    assert.equal(doc.getPageCount(), 1)
    assert.equal(doc.getTitle(), 'СЕРТИФИКАТ OQU-7K3M-Q9TX-2HFD')
    const text = textOf(tempFile(bytes))
    for (const expected of [
      'Әбілқасымова Ғалия Құрманқызы',
      `Қазақ әліпбиі: ${KAZAKH_LETTERS}`,
      'Основы цифровой грамотности',
      '72 сағат / 72 часа',
      'Аяқталған күні: 2026 ж. 1 наурыз',
      'Дата завершения: 1 марта 2026 г.',
      '«Talap» коммерциялық емес акционерлік қоғамы',
      'Некоммерческое акционерное общество «Talap»',
      'OQU-7K3M-Q9TX-2HFD',
      'https://oqu.example.kz/verify/OQU-7K3M-Q9TX-2HFD',
    ]) {
      assert.ok(text.includes(expected), `"${expected}" in: ${text}`)
    }
    assert.ok(!text.includes('ОТОЗВАН'))
  })

  it('a one-language course prints in that language only; a revoked certificate says so', async () => {
    const bytes = await renderCertificatePdf(
      facts({
        languages: ['en'],
        courseTitles: { en: 'Assessment for learning' },
        revokedAt: new Date('2026-04-02T08:00:00Z'),
      }),
      i18n,
    )
    const text = textOf(tempFile(bytes))
    assert.ok(text.includes('CERTIFICATE'))
    assert.ok(text.includes('«Assessment for learning»'))
    assert.ok(text.includes('REVOKED on April 2, 2026'), text)
    assert.ok(!text.includes('СЕРТИФИКАТ'))
  })

  it('draws a QR code whose modules are those of the verify URL', { skip: !fs.existsSync(PDFTOPPM) }, async () => {
    const f = facts()
    const pixel = raster(tempFile(await renderCertificatePdf(f, i18n)), 300)
    const expected = QRCode.create(f.verifyUrl, { errorCorrectionLevel: 'M' }).modules
    const { x, y, size } = CERTIFICATE_LAYOUT.qr
    const n = expected.size
    const m = size / n
    let dark = 0
    for (let row = 0; row < n; row++) {
      for (let col = 0; col < n; col++) {
        const value = pixel(x + (col + 0.5) * m, y + size - (row + 0.5) * m)
        const isDark = value < 128
        if (isDark) dark++
        assert.equal(isDark, expected.get(row, col) === 1, `module ${row},${col}`)
      }
    }
    assert.ok(dark > n * 4, 'a real symbol, not an empty box')
    // The quiet zone around it is white.
    for (let i = 0; i < n; i++) assert.ok(pixel(x - 2 * m, y + (i + 0.5) * m) > 200, 'quiet zone')
  })
})

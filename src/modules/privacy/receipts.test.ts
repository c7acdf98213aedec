// Law Art. 8(4), T-6.3, B-1.3: every consent record has a receipt with the eight mandatory items, as a page and
// a PDF in kk, ru and en, which only the subject, their guardian or a DPO may open.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import Fastify from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { PDFDocument } from 'pdf-lib'
import { describeEachDatabase } from '../../../test/database'
import { LOCALES, systemCtx, type Locale } from '../../platform/context'
import type { Db } from '../../platform/db/database'
import { installErrorHandler } from '../../platform/http/error-handler'
import type { HttpApp } from '../../platform/http/http-app'
import { registerRequestContext } from '../../platform/http/request-context'
import { createI18n, loadLocaleFiles } from '../../platform/i18n/i18n'
import { createViews } from '../../platform/views/layout'
import type { ConsentRecord } from './consents.service'
import { registerReceiptPages } from './receipts.pages'
import { createReceiptService } from './receipts.service'
import { privacyFixtures } from './test-fixtures'
import type { Profile } from './profiles'

const i18n = createI18n(loadLocaleFiles(fileURLToPath(new URL('../../../locales', import.meta.url))))
const f = privacyFixtures()
const PDFTOTEXT = '/usr/bin/pdftotext'
const KAZAKH_LETTERS = [...'әғқңөұүһі']
// Between them the two names hold every letter of the Kazakh alphabet that Russian lacks.
const CHILD = { id: randomUUID(), name: 'Өңірбаева Әсем Ғалымқызы' }
const GUARDIAN = { id: randomUUID(), name: 'ҚҰРМАНҰЛЫ Үмбет Һабибұлы' }
const names = new Map<string, string>([
  [CHILD.id, CHILD.name],
  [GUARDIAN.id, GUARDIAN.name],
])

/** Test authorizer: the subject or their representative (header x-user), or anyone with x-role: dpo. */
function authorize(req: { headers: Record<string, unknown> }, record: ConsentRecord): boolean {
  const user = req.headers['x-user']
  return req.headers['x-role'] === 'dpo' || user === record.subjectId || user === record.givenBy
}

async function receiptApp(db: Db, profile: Profile): Promise<HttpApp> {
  const views = createViews({ i18n })
  const app = Fastify().withTypeProvider<TypeBoxTypeProvider>()
  registerRequestContext(app, { db, clock: f.clock })
  installErrorHandler(app, i18n, (req, e) => views.errorPage(req, e))
  const subjectName = async (_ctx: unknown, id: string) => names.get(id) ?? null
  const receipts = createReceiptService({ consents: f.consents, policies: f.policies, profile, subjectName })
  registerReceiptPages(app, { consents: f.consents, receipts, views, i18n, authorize })
  await app.ready()
  return app
}

async function accept(db: Db, profile: Profile, subjectId: string, givenBy?: string): Promise<ConsentRecord> {
  const policy = await f.policies.currentPolicy(db, profile.id, 'kk', f.clock.now())
  assert.ok(policy)
  const input = {
    subjectId,
    givenBy,
    policyVersionId: policy.versionId,
    locale: 'kk' as const,
    textSha256: policy.sha256,
  }
  return f.consents.recordPolicyAcceptance(f.ctx(db), { ...input, channel: 'web_registration' })
}

const t = (locale: Locale, key: string, values?: Record<string, string>) => i18n.t(locale, key, values)
const ITEMS = ['operator', 'subject', 'validity', 'thirdParties', 'crossBorder', 'publicSources', 'categories', 'other']

function pdfText(pdf: Buffer): string | undefined {
  if (!fs.existsSync(PDFTOTEXT)) return undefined
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'oqu-receipt-')), 'receipt.pdf')
  fs.writeFileSync(file, pdf)
  try {
    return execFileSync(PDFTOTEXT, ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true })
  }
}

describeEachDatabase(
  'consent receipts',
  (get) => {
    let talapApp: HttpApp
    let btsApp: HttpApp
    let record: ConsentRecord
    let btsRecord: ConsentRecord
    before(async () => {
      const db = get().db
      await f.policies.ensureInitialPolicy(systemCtx(db, f.clock), f.talap)
      await f.policies.ensureInitialPolicy(systemCtx(db, f.clock), f.bts)
      talapApp = await receiptApp(db, f.talap)
      btsApp = await receiptApp(db, f.bts)
      record = await accept(db, f.talap, CHILD.id, GUARDIAN.id)
      btsRecord = await accept(db, f.bts, randomUUID())
    })
    after(async () => {
      await talapApp.close()
      await btsApp.close()
    })

    const get_ = (app: HttpApp, url: string, locale: Locale, user: string) =>
      app.inject({ url, headers: { 'accept-language': locale, 'x-user': user } })

    for (const locale of LOCALES) {
      it(`${locale}: the page carries all eight items of Art. 8(4) with the Talap profile's facts`, async () => {
        const res = await get_(talapApp, `/privacy/consents/${record.id}/receipt`, locale, CHILD.id)
        assert.equal(res.statusCode, 200)
        assert.equal(res.headers['content-language'], locale)
        assert.equal(res.headers['cache-control'], 'private, no-store')
        const body = res.body
        ITEMS.forEach((item, i) =>
          assert.ok(
            body.includes(`<li id="item-${i + 1}"><h2>${t(locale, `privacy.receipt.items.${item}`)}</h2>`),
            item,
          ),
        )
        const op = f.talap.operator
        const expected = [
          t(locale, 'privacy.receipt.operatorValue', {
            name: op.legalName[locale],
            bin: t(locale, 'privacy.receipt.notStated'),
          }),
          CHILD.name,
          f.talap.consentRecord.validity[locale],
          t(locale, 'privacy.receipt.noExceptByLaw'),
          `<p>${t(locale, 'privacy.receipt.no')}</p>`,
          t(locale, 'privacy.categories.government_id'),
          t(locale, 'privacy.kinds.policy_acceptance'),
          record.textSha256,
          record.id,
          GUARDIAN.name,
          'info@talap.edu.kz',
          f.talap.complaints.authorisedBody.name[locale],
          `/privacy/consents/${record.id}/receipt.pdf`,
        ]
        const escaped = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
        for (const text of expected) assert.ok(body.includes(escaped(text)), `${locale}: ${text}`)
        assert.ok(!body.includes(t(locale, 'privacy.categories.location')), 'Talap collects no geolocation')
      })
    }

    it('states transfers to affiliates and partners, cross-border with consent, for BTS (B-4.2)', async () => {
      const res = await get_(btsApp, `/privacy/consents/${btsRecord.id}/receipt`, 'en', btsRecord.subjectId)
      assert.equal(res.statusCode, 200)
      assert.ok(res.body.includes('Yes — with your consent: affiliates, partners'))
      assert.ok(res.body.includes('Yes — only with your consent'))
      assert.ok(res.body.includes(t('en', 'privacy.receipt.nameNotHeld')), 'BTS holds a user name, not a full name')
      assert.ok(res.body.includes('https://edunavigator.kz/privacy'))
      assert.ok(!res.body.includes(t('en', 'privacy.categories.government_id')), 'BTS never collects an IIN')
    })

    for (const locale of LOCALES) {
      it(`${locale}: the PDF parses, names all eight items, and its text holds every Kazakh letter`, async (tc) => {
        const res = await get_(talapApp, `/privacy/consents/${record.id}/receipt.pdf`, locale, GUARDIAN.id)
        assert.equal(res.statusCode, 200)
        assert.equal(res.headers['content-type'], 'application/pdf')
        assert.match(
          String(res.headers['content-disposition']),
          /^attachment; filename="consent-receipt-[0-9a-f-]{36}-\w\w\.pdf"$/,
        )
        const doc = await PDFDocument.load(res.rawPayload)
        assert.ok(doc.getPageCount() >= 1)
        assert.equal(doc.getTitle(), t(locale, 'privacy.receipt.title'))
        const text = pdfText(res.rawPayload)
        if (text === undefined) return tc.skip(`${PDFTOTEXT} is not installed: text extraction not checked`)
        for (const item of ITEMS) assert.ok(text.includes(t(locale, `privacy.receipt.items.${item}`)), item)
        for (const s of [CHILD.name, GUARDIAN.name, record.textSha256.slice(0, 16)]) assert.ok(text.includes(s), s)
        for (const letter of KAZAKH_LETTERS) assert.ok(text.toLowerCase().includes(letter), `missing ${letter}`)
      })
    }

    it('opens only for the subject, their representative or a DPO; otherwise it is as if there were no record', async () => {
      const url = `/privacy/consents/${record.id}/receipt`
      for (const user of [CHILD.id, GUARDIAN.id]) assert.equal((await get_(talapApp, url, 'kk', user)).statusCode, 200)
      const dpo = await talapApp.inject({ url: `${url}.pdf`, headers: { 'x-role': 'dpo' } })
      assert.equal(dpo.statusCode, 200)
      const stranger = await get_(talapApp, url, 'kk', randomUUID())
      const unknown = await get_(talapApp, `/privacy/consents/${randomUUID()}/receipt`, 'kk', CHILD.id)
      const malformed = await get_(talapApp, '/privacy/consents/not-a-uuid/receipt.pdf', 'kk', CHILD.id)
      for (const res of [stranger, unknown, malformed]) {
        assert.equal(res.statusCode, 404)
        assert.ok(!res.body.includes(CHILD.name) && !res.body.includes(record.textSha256))
      }
    })
  },
  { pages: true },
)

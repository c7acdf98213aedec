/**
 * Journeys of the privacy lifecycle (BTS profile, whose banner offers "Accept"), across kk, ru and en, on a
 * phone and a desktop: the DPO drafts and publishes a version; a person sees the banner, reads the diff and
 * accepts; a person turns marketing off and then receives no course announcement; a person withdraws consent
 * with their password and gets the signed receipt. No CSP refusals or script errors, no sideways scrolling,
 * no axe-core violations; screenshots of every page for review.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import type { Browser, Page } from 'playwright-core'
import type { Locale } from '../src/platform/context'
import { createI18n, loadLocaleFiles } from '../src/platform/i18n/i18n'
import { LOCALES_DIR } from '../src/services'
import { almatyTime } from '../src/modules/privacy/calendar'
import { createDpo, createUser, TEST_PASSWORD, userCtx, type LifecycleApp } from '../src/modules/privacy/test-fixtures'
import {
  browserSkipReason,
  journeyPages,
  journeys,
  launchChromium,
  screenshot,
  signInThroughForm,
  startTestServer,
  VIEWPORTS,
  type Device,
  type TestServer,
} from '../test/browser'

const i18n = createI18n(loadLocaleFiles(LOCALES_DIR))

describe('privacy lifecycle in Chromium', { skip: browserSkipReason() }, () => {
  let server: TestServer & LifecycleApp
  let browser: Browser
  const pages = journeyPages(() => browser)
  // People registered under version 1, before the DPO publishes version 2.
  const earlier = new Map<Locale, { id: string; email: string }>()

  const open = (locale: Locale, device: Device) => pages.open({ viewport: VIEWPORTS[device], acceptLanguage: locale })
  const signIn = (page: Page, person: { email: string }, next: string) =>
    signInThroughForm(page, server, { email: person.email, password: TEST_PASSWORD }, next)

  before(async () => {
    server = (await startTestServer({ env: { OQU_PROFILE: 'bts-education' } })) as TestServer & LifecycleApp
    server.clock.set(almatyTime('2026-07-01', '10:00'))
    for (const locale of ['kk', 'ru'] as const) earlier.set(locale, await createUser(server, locale))
    browser = await launchChromium()
  })

  after(async () => {
    await pages.close()
    await browser?.close()
    await server?.close()
  })

  it('en on a desktop: the DPO drafts version 2, reads the diff and publishes it', async () => {
    const t = (key: string, v?: Record<string, string | number>) => i18n.t('en', key, v)
    const dpo = await createDpo(server)
    const failures: string[] = []
    const { page, problems } = await open('en', 'desktop')
    await signIn(page, dpo, '/dpo')
    assert.equal((await page.locator('h1').innerText()).trim(), t('privacy.dpo.title'))
    await pages.check(page, 'privacy-dpo-en-desktop', failures)
    for (const locale of ['kk', 'ru', 'en'] as const) {
      const box = page.locator(`#text-${locale}`)
      await box.fill(`${await box.inputValue()}\n\nAnalytics cookies are kept for 30 days (${locale}).\n`)
    }
    await page.getByRole('button', { name: t('privacy.dpo.save') }).click()
    await page.waitForLoadState()
    assert.match(await page.getByRole('status').innerText(), /draft is saved/)
    assert.equal(await page.locator('#preview ins').count(), 1)
    await pages.check(page, 'privacy-dpo-draft-en-desktop', failures)
    await page.getByRole('button', { name: t('privacy.dpo.publish', { number: 2 }) }).click()
    await page.waitForLoadState()
    assert.match(await page.getByRole('status').innerText(), /Version 2 is published/)
    assert.deepEqual(problems, [])
    assert.equal(failures.length, 0, failures.join('\n'))
  })

  for (const [locale, device, viewport] of journeys({ kk: true, ru: true })) {
    it(`${locale} on a ${device}: sees the banner, reads what changed and accepts`, async () => {
      const t = (key: string, v?: Record<string, string | number>) => i18n.t(locale, key, v)
      const person = earlier.get(locale)!
      const failures: string[] = []
      const { page, problems } = await pages.open({ viewport, acceptLanguage: locale })
      await signIn(page, person, '/courses')
      const banner = page.getByRole('complementary', { name: new RegExp(t('privacy.banner.title', { number: 2 })) })
      await banner.waitFor()
      await pages.check(page, `privacy-banner-${locale}-${device}`, failures)
      await banner.getByRole('link', { name: t('privacy.banner.diff') }).click()
      await page.waitForLoadState()
      assert.equal(new URL(page.url()).pathname, '/policy/versions/2')
      assert.ok((await page.locator('#changes ins').count()) >= 1)
      await pages.check(page, `privacy-diff-${locale}-${device}`, failures)
      await page
        .locator('#changes')
        .getByRole('button', { name: t('privacy.banner.accept') })
        .click()
      await page.waitForLoadState()
      assert.equal(await page.getByRole('status').innerText(), t('privacy.policy.accepted', { number: 2 }))
      assert.equal(await page.locator('.policy-banner').count(), 0, 'no banner once accepted')
      assert.deepEqual(problems, [])
      assert.equal(failures.length, 0, failures.join('\n'))
    })
  }

  it('ru on a phone: turns marketing off and receives no course announcement', async () => {
    const t = (key: string) => i18n.t('ru', key)
    const person = await createUser(server, 'ru')
    const failures: string[] = []
    const { page, problems } = await open('ru', 'phone')
    await signIn(page, person, '/privacy')
    assert.equal((await page.locator('h1').innerText()).trim(), t('privacy.centre.title'))
    await pages.check(page, 'privacy-centre-ru-phone', failures)
    await page
      .locator('#purpose-marketing')
      .getByRole('button', { name: `${t('privacy.centre.turnOff')}: ${t('privacy.purposes.marketing')}` })
      .click()
    await page.waitForLoadState()
    assert.equal(await page.getByRole('status').innerText(), t('privacy.centre.recorded'))
    assert.match(await page.locator('#purpose-marketing').innerText(), new RegExp(t('privacy.centre.off')))
    await server.app.services.privacy.marketing.sendAnnouncement(
      userCtx(server, person.id),
      'https://oqu.example.kz/courses/new-course',
    )
    const sent = await sql<{ n: string }>`select count(*) as n from notifications
      where subject_id = ${person.id} and template = 'privacy.course_announcement'`.execute(server.database.db)
    assert.equal(Number(sent.rows[0]?.n), 0)
    await page.goto(`${server.baseUrl}/privacy/consents`)
    await pages.check(page, 'privacy-consents-ru-phone', failures)
    assert.deepEqual(problems, [])
    assert.equal(failures.length, 0, failures.join('\n'))
  })

  // English at its journey width, and Kazakh at the width its journeys above do not walk.
  for (const [locale, device] of [
    ['en', 'phone'],
    ['kk', 'desktop'],
  ] as const) {
    it(`${locale} on a ${device}: withdraws consent with the password and gets a signed receipt`, async () => {
      const t = (key: string) => i18n.t(locale, key)
      const person = await createUser(server, locale)
      const failures: string[] = []
      const { page, problems } = await open(locale, device)
      await signIn(page, person, '/privacy#withdraw')
      await page.getByLabel(t('privacy.centre.effects.suspend_agreement')).check()
      await page.getByLabel(t('privacy.centre.password')).fill(TEST_PASSWORD)
      await page.getByRole('button', { name: t('privacy.centre.withdrawButton') }).click()
      await page.waitForLoadState()
      assert.match(new URL(page.url()).pathname, /^\/privacy\/consents\/[0-9a-f-]+\/receipt$/)
      const body = await page.locator('main').innerText()
      assert.ok(body.includes(t('privacy.kinds.consent_withdrawn')))
      assert.match(body, /hmac-sha256:[0-9a-f]{64}/)
      await pages.check(page, `privacy-withdrawal-receipt-${locale}-${device}`, failures)
      assert.deepEqual(problems, [])
      assert.equal(failures.length, 0, failures.join('\n'))
    })
  }
})

describe('privacy lifecycle in Chromium, Talap (acceptance by use)', { skip: browserSkipReason() }, () => {
  let server: TestServer & LifecycleApp
  let browser: Browser
  const pages = journeyPages(() => browser)

  before(async () => {
    server = (await startTestServer({ env: { OQU_PROFILE: 'talap' } })) as TestServer & LifecycleApp
    server.clock.set(almatyTime('2026-08-03', '23:30'))
    browser = await launchChromium()
  })

  after(async () => {
    await pages.close()
    await browser?.close()
    await server?.close()
  })

  it('ru on a phone: the banner announces version 2, the diff reads, and the first use on day 10 is the acceptance', async () => {
    const t = (key: string, v?: Record<string, string | number>) => i18n.t('ru', key, v)
    const person = await createUser(server, 'ru')
    const { versions } = server.app.services.privacy
    const dpo = userCtx(server, '00000000-0000-4000-8000-000000000003')
    const draft = await versions.saveDraft(dpo, {
      kk: `${(await server.app.services.policies.currentPolicy(server.database.db, 'talap', 'kk', server.clock.now()))!.markdown}\n\nЖаңа абзац.\n`,
      ru: `${(await server.app.services.policies.currentPolicy(server.database.db, 'talap', 'ru', server.clock.now()))!.markdown}\n\nНовый абзац о сроках хранения cookie.\n`,
      en: `${(await server.app.services.policies.currentPolicy(server.database.db, 'talap', 'en', server.clock.now()))!.markdown}\n\nA new paragraph.\n`,
    })
    await versions.publish(dpo, { versionId: draft.id, effectiveDate: '2026-08-13' })

    const failures: string[] = []
    const { page, problems } = await pages.open({ viewport: VIEWPORTS.phone, acceptLanguage: 'ru' })
    await signInThroughForm(page, server, { email: person.email, password: TEST_PASSWORD }, '/courses')
    const banner = page.getByRole('complementary', { name: new RegExp(t('privacy.banner.title', { number: 2 })) })
    await banner.waitFor()
    assert.match(await banner.innerText(), new RegExp(t('privacy.banner.byUse').slice(0, 30)))
    assert.equal(await banner.getByRole('button', { name: t('privacy.banner.accept') }).count(), 0, 'use is acceptance')
    await pages.check(page, 'privacy-talap-banner-ru-phone', failures)
    await banner.getByRole('link', { name: t('privacy.banner.diff') }).click()
    await page.waitForLoadState()
    assert.match(await page.locator('#changes').innerText(), /Новый абзац о сроках хранения cookie/)
    await pages.check(page, 'privacy-talap-diff-ru-phone', failures)

    // Day 9 (12 August, Almaty): still the banner. Day 10: the first page opened records the acceptance.
    // (A visit on day 6 keeps the session alive: standard sessions end after 7 days unused.)
    server.clock.set(almatyTime('2026-08-09', '12:00'))
    await page.goto(`${server.baseUrl}/courses`)
    assert.equal(await page.locator('.policy-banner').count(), 1)
    server.clock.set(almatyTime('2026-08-12', '23:59'))
    await page.goto(`${server.baseUrl}/courses`)
    assert.equal(await page.locator('.policy-banner').count(), 1)
    server.clock.set(almatyTime('2026-08-13', '07:00'))
    await page.goto(`${server.baseUrl}/courses`)
    assert.equal(await page.locator('.policy-banner').count(), 0)
    await page.goto(`${server.baseUrl}/privacy/consents`)
    assert.match(await page.locator('main').innerText(), new RegExp(t('privacy.channels.implied_by_use')))
    await screenshot(page, 'privacy-talap-consents-ru-phone')
    assert.deepEqual(problems, [])
    assert.equal(failures.length, 0, failures.join('\n'))
  })
})

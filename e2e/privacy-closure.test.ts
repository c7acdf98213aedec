/**
 * T-1.2 in Chromium (Talap profile): a person who does not accept a new version of the policy follows the banner's
 * "close my account" link, reads what closing means, confirms with the password, gets the signed receipt on the
 * same page, and can no longer sign in. Kazakh on a phone, Russian on a desktop; fonts, no sideways scrolling, no
 * axe-core violations, no CSP refusals or script errors.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { createI18n, loadLocaleFiles } from '../src/platform/i18n/i18n'
import { LOCALES_DIR } from '../src/services'
import { almatyTime } from '../src/modules/privacy/calendar'
import {
  createDpo,
  createUser,
  nextTexts,
  TEST_PASSWORD,
  userCtx,
  type LifecycleApp,
} from '../src/modules/privacy/test-fixtures'
import {
  browserSkipReason,
  journeyPages,
  journeys,
  launchChromium,
  signInThroughForm,
  startTestServer,
  type TestServer,
} from '../test/browser'

const i18n = createI18n(loadLocaleFiles(LOCALES_DIR))

describe('closing the account in Chromium', { skip: browserSkipReason() }, () => {
  let server: TestServer & LifecycleApp
  let browser: Browser
  // The failed sign-in of a closed account answers 403: expected here.
  const pages = journeyPages(() => browser, { allow: (status, path) => status === 403 && path === '/login' })

  before(async () => {
    server = (await startTestServer({ env: { OQU_PROFILE: 'talap' } })) as TestServer & LifecycleApp
    server.clock.set(almatyTime('2026-05-04', '10:00'))
    const { versions } = server.app.services.privacy
    // The DPO publishes version 2 (effective in 10 days, T-6.4); people registered under version 1 see the banner.
    const ctx = userCtx(server, (await createDpo(server)).id, 'en')
    const draft = await versions.saveDraft(ctx, await nextTexts(server, 'talap'))
    await versions.publish(ctx, { versionId: draft.id, effectiveDate: '2026-05-14' })
    browser = await launchChromium()
  })

  after(async () => {
    await pages.close()
    await browser?.close()
    await server?.close()
  })

  for (const [locale, device, viewport] of journeys({ kk: true, ru: true })) {
    it(`${locale} on a ${device}: declines version 2, closes the account, cannot sign in again`, async () => {
      const t = (key: string, v?: Record<string, string | number>) => i18n.t(locale, key, v)
      const person = { ...(await createUser(server, locale)), password: TEST_PASSWORD }
      const failures: string[] = []
      const { page, problems } = await pages.open({ viewport, acceptLanguage: locale })
      await signInThroughForm(page, server, person, '/courses')
      const banner = page.getByRole('complementary', { name: new RegExp(t('privacy.banner.title', { number: 2 })) })
      await banner.getByRole('link', { name: t('privacy.banner.close') }).click()
      await page.waitForURL((url) => url.pathname === '/privacy/close')
      assert.equal((await page.locator('h1').innerText()).trim(), t('privacy.close.title'))
      await pages.check(page, `privacy-close-${locale}-${device}`, failures)

      await page.getByLabel(t('privacy.centre.password')).fill(TEST_PASSWORD)
      await page.getByRole('button', { name: t('privacy.close.button') }).click()
      await page.waitForLoadState()
      assert.equal(await page.getByRole('status').innerText(), t('privacy.close.done'))
      assert.match(await page.locator('.receipt').innerText(), /hmac-sha256:[0-9a-f]{64}/)
      assert.equal(await page.locator('.policy-banner').count(), 0)
      await pages.check(page, `privacy-closed-${locale}-${device}`, failures)

      await page.goto(`${server.baseUrl}/login`)
      await page.locator('main input[name="identifier"]').fill(person.email)
      await page.locator('main input[name="password"]').fill(TEST_PASSWORD)
      await page.locator('main form[action^="/login"] button[type="submit"]').click()
      await page.waitForLoadState()
      assert.equal(new URL(page.url()).pathname, '/login')
      assert.match(await page.getByRole('alert').innerText(), new RegExp(t('errors.accounts.account_closed')))
      assert.deepEqual(problems, [])
      assert.equal(failures.length, 0, failures.join('\n'))
    })
  }
})

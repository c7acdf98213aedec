/**
 * Journey (issue 3 "the guardian can see and act for the child's account",
 * law Arts. 7–8, T-5.2.2): a guardian who consented for a minor signs in,
 * opens the child's page from "your children" (the data masked), corrects
 * the child's e-mail address (the link goes to the child's new address) and
 * turns an optional purpose off for the child — in Kazakh on a phone and
 * Russian on a desktop, axe-core clean.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { client, createPerson, hiddenValue, registerMinor } from '../src/modules/accounts/test-fixtures'
import {
  browserSkipReason,
  journeyPages,
  journeys,
  launchChromium,
  signInThroughForm,
  startTestServer,
  type TestServer,
} from '../test/browser'

const TEXTS = {
  kk: { open: 'Бала бетін ашу', correct: 'Деректерді түзету', save: 'Сақтау', turnOn: 'Қосу' },
  ru: { open: 'Открыть страницу ребёнка', correct: 'Исправить данные', save: 'Сохранить', turnOn: 'Включить' },
}

describe('a guardian acts for their child in Chromium', { skip: browserSkipReason() }, () => {
  let server: TestServer
  let browser: Browser
  const pages = journeyPages(() => browser)
  let n = 0

  before(async () => {
    server = await startTestServer()
    browser = await launchChromium()
  })

  after(async () => {
    await pages.close()
    await browser?.close()
    await server?.close()
  })

  /** A minor (registered and linked over HTTP) whose guardian has consented; returns the guardian. */
  async function consentedChild(locale: string) {
    n++
    const child = client(server, { locale: 'kk' })
    const minor = await registerMinor(child, 800 + n, `bala.acts.${locale}@mail.kz`)
    const parent = await createPerson(server, ['learner'])
    await child.get('/account/guardian')
    await child.post('/account/guardian/invite', { email: parent.email })
    const ctx = {
      actor: null,
      requestId: 'e2e',
      ip: null,
      userAgent: null,
      locale: 'kk' as const,
      now: server.clock.now(),
      db: server.database.db,
    }
    const invite = await server.app.services.notifications.latestMessage(ctx, {
      to: parent.email,
      template: 'accounts.guardian_invite',
    })
    const token = /token=([A-Za-z0-9_-]{43})/.exec(invite?.text ?? '')![1]!
    const guardian = client(server)
    await guardian.signIn(parent.email, parent.password)
    await guardian.get(`/guardian/accept?token=${token}`)
    const linkId = /([0-9a-f-]{36})$/.exec(
      String((await guardian.post('/guardian/accept', { token })).headers.location),
    )![1]!
    const review = await guardian.get(`/account/children/${linkId}`)
    await guardian.post(`/account/children/${linkId}/consent`, {
      acceptPolicy: 'yes',
      policyVersionId: hiddenValue(review.body, 'policyVersionId'),
      policyLocale: hiddenValue(review.body, 'policyLocale'),
      policySha256: hiddenValue(review.body, 'policySha256'),
    })
    return { parent, linkId, minor }
  }

  for (const [locale, device, viewport, text] of journeys(TEXTS))
    it(`${locale} on a ${device}: the guardian opens the child's page, corrects the e-mail, turns marketing off`, async () => {
      const failures: string[] = []
      const prefix = `accounts-guardian-acts-${locale}-${device}`
      const { parent, linkId, minor } = await consentedChild(locale)
      const { page, problems } = await pages.open({ viewport, acceptLanguage: locale })
      await signInThroughForm(page, server, parent, '/account/children')

      await page.getByRole('link', { name: text.open }).click()
      await page.waitForURL((url) => url.pathname === `/account/children/${linkId}`)
      assert.ok(!(await page.content()).includes(minor.email), 'the address is masked')
      await pages.check(page, `${prefix}-1-child`, failures)

      await page.getByRole('link', { name: text.correct }).click()
      await page.locator('main input[name="email"]').fill(`bala.acts.new.${locale}@mail.kz`)
      await page.getByRole('button', { name: text.save }).click()
      await page.waitForURL((url) => url.searchParams.get('done') === 'email_pending')
      await page.locator('.notice-pending').waitFor()
      await pages.check(page, `${prefix}-2-corrected`, failures)

      await page.locator('#purpose-marketing button[type="submit"]').click()
      await page.waitForURL((url) => url.searchParams.get('done') === 'purpose')
      assert.ok((await page.locator('#purpose-marketing').innerText()).includes(text.turnOn), 'marketing is off')
      assert.deepEqual(problems, [])
      assert.equal(failures.length, 0, failures.join('\n'))
    })
})

/**
 * Journey: a visitor opens the home page in Kazakh (default), Russian and
 * English — by Accept-Language and by the switcher — and the page reads,
 * looks and behaves right on a phone and a desktop: visible texts, a
 * remembered choice, Kazakh letters in the web font, keyboard access, no
 * CSP or asset errors, and no axe-core violations.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import type { Locale } from '../src/platform/context'
import {
  VIEWPORTS,
  browserSkipReason,
  fontsReady,
  formatAxeViolations,
  journeyPages,
  launchChromium,
  runAxe,
  screenshot,
  startTestServer,
  type JourneyPageOptions,
  type TestServer,
} from '../test/browser'

const KAZAKH_LETTERS = 'Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі'

const EXPECTED: Record<Locale, { h1: string; acceptLanguage: string; texts: string[] }> = {
  kk: {
    h1: 'Білім алу мен мамандық таңдау — бір платформада',
    acceptLanguage: 'kk-KZ,kk;q=0.9',
    texts: ['Қашықтан оқыту мектебі', 'Білім беру навигаторы', 'Келісімді кері қайтарып алу', '№\u00a094-V'],
  },
  ru: {
    h1: 'Учиться и выбирать профессию — на одной платформе',
    acceptLanguage: 'ru-RU,ru;q=0.9,en;q=0.5',
    texts: ['Школа дистанционного обучения', 'Образовательный навигатор', 'Отозвать согласие', '№\u00a094-V'],
  },
  en: {
    h1: 'Learn and choose your career — on one platform',
    acceptLanguage: 'en-GB,en;q=0.9',
    texts: ['Distance-learning school', 'Education navigator', 'Withdraw consent', 'No.\u00a094-V'],
  },
}
const LOCALES = Object.keys(EXPECTED) as Locale[]
const SWITCHER_NAMES: Record<Locale, string> = { kk: 'Қазақша', ru: 'Русский', en: 'English' }

describe('home page in Chromium', { skip: browserSkipReason() }, () => {
  let server: TestServer
  let browser: Browser
  // These pages enforce the CSP (unlike journeys' pages), so a refusal shows up
  // as a problem; only the axe tests bypass it, to inject axe-core inline.
  const pages = journeyPages(() => browser, { bypassCSP: false })

  async function open(options: JourneyPageOptions, path = '/') {
    const { page, problems, context } = await pages.open(options)
    const response = await page.goto(server.baseUrl + path)
    assert.equal(response?.status(), 200)
    await fontsReady(page)
    return { page, problems, context }
  }

  async function assertLocale(page: Page, locale: Locale) {
    const expected = EXPECTED[locale]
    assert.equal(await page.locator('html').getAttribute('lang'), locale)
    assert.equal((await page.locator('h1').innerText()).trim(), expected.h1)
    for (const text of expected.texts) {
      assert.ok(await page.getByText(text, { exact: false }).first().isVisible(), `"${text}" is visible in ${locale}`)
    }
    const current = page.locator('.lang-switch a[aria-current="true"]')
    assert.equal(await current.count(), 1)
    assert.equal(await current.getAttribute('hreflang'), locale)
  }

  before(async () => {
    server = await startTestServer()
    browser = await launchChromium()
  })

  after(async () => {
    await pages.close()
    await browser?.close()
    await server?.close()
  })

  it('speaks Kazakh by default (no supported language asked), with no errors, CSP refusals or failed requests', async () => {
    const { page, problems } = await open({ acceptLanguage: 'de-DE,de;q=0.9' })
    await assertLocale(page, 'kk')
    assert.deepEqual(problems, [])
  })

  for (const locale of LOCALES) {
    it(`follows Accept-Language: ${locale}`, async () => {
      const { page, problems } = await open({ acceptLanguage: EXPECTED[locale].acceptLanguage })
      await assertLocale(page, locale)
      assert.deepEqual(problems, [])
    })
  }

  it('switches language with the switcher, stays on the same path, and remembers the choice', async () => {
    const { page, problems, context } = await open({ acceptLanguage: 'kk' })
    await assertLocale(page, 'kk')
    for (const locale of ['ru', 'en', 'kk'] as const) {
      await page.getByRole('link', { name: SWITCHER_NAMES[locale], exact: true }).click()
      await page.waitForLoadState()
      assert.equal(new URL(page.url()).pathname, '/')
      await assertLocale(page, locale)
      const cookie = (await context.cookies()).find((c) => c.name === 'oqu_locale')
      assert.equal(cookie?.value, locale)
      assert.equal(cookie?.httpOnly, true)
      assert.equal(cookie?.sameSite, 'Lax')
    }
    // The cookie wins over Accept-Language on the next visit.
    await page.getByRole('link', { name: 'Русский', exact: true }).click()
    await page.goto(server.baseUrl + '/')
    await assertLocale(page, 'ru')
    assert.deepEqual(problems, [])
  })

  it('renders every Kazakh letter with the Noto Sans web font', async () => {
    const { page } = await open({})
    await page.evaluate(
      `(() => { const p = document.createElement('p'); p.id = 'kk-letters'; p.textContent = ${JSON.stringify(KAZAKH_LETTERS)}; document.querySelector('main').append(p) })()`,
    )
    await page.evaluate(
      `document.fonts.load('16px "Noto Sans"', ${JSON.stringify(KAZAKH_LETTERS)}).then(() => undefined)`,
    )
    assert.equal(
      await page.evaluate(`document.fonts.check('16px "Noto Sans"', ${JSON.stringify(KAZAKH_LETTERS)})`),
      true,
    )
    // Ask the renderer which fonts drew the glyphs: only the web font, no fallback.
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('DOM.enable')
    await cdp.send('CSS.enable')
    const { root } = await cdp.send('DOM.getDocument')
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '#kk-letters' })
    // The renderer reports fonts only once the new paragraph has been laid out
    // and painted: under load that can take a few frames, so ask until it answers.
    let fonts: Array<{ familyName: string; isCustomFont: boolean }> = []
    for (let tries = 0; fonts.length === 0 && tries < 50; tries++) {
      await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))')
      fonts = (await cdp.send('CSS.getPlatformFontsForNode', { nodeId })).fonts
    }
    assert.ok(fonts.length > 0, 'the renderer named the fonts that drew the letters')
    for (const f of fonts) {
      assert.equal(f.isCustomFont, true, `${f.familyName} is a system fallback, not the web font`)
      assert.match(f.familyName, /^Noto Sans/)
    }
  })

  it('has a skip link that is first in the tab order and moves focus to main', async () => {
    const { page } = await open({})
    await page.keyboard.press('Tab')
    const skip = page.locator('a.skip-link')
    assert.equal(await page.evaluate('document.activeElement.className'), 'skip-link')
    const box = await skip.boundingBox()
    assert.ok(box && box.y >= 0 && box.height > 0, 'the focused skip link is on screen')
    await page.keyboard.press('Enter')
    assert.equal(await page.evaluate('document.activeElement && document.activeElement.id'), 'main')
  })

  for (const [device, viewport] of Object.entries(VIEWPORTS)) {
    it(`fits a ${device} (${viewport.width}×${viewport.height}) in every language; screenshots saved`, async () => {
      for (const locale of LOCALES) {
        const { page, problems } = await open({ viewport, acceptLanguage: locale })
        await assertLocale(page, locale)
        const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number
        assert.ok(overflow <= 0, `${locale}: the page scrolls sideways by ${overflow}px`)
        await screenshot(page, `home-${locale}-${device}`)
        assert.deepEqual(problems, [])
      }
    })

    it(`has no axe-core violations on a ${device} in any language`, async () => {
      const failures: string[] = []
      for (const locale of LOCALES) {
        // axe is injected inline: these contexts (and only these) bypass CSP.
        const { page } = await open({ viewport, acceptLanguage: locale, bypassCSP: true })
        const { violations } = await runAxe(page)
        if (violations.length) failures.push(`${locale} (${device}):\n${formatAxeViolations(violations)}`)
      }
      assert.equal(failures.length, 0, `axe-core violations:\n${failures.join('\n')}`)
    })
  }

  it('shows the error page inside the layout, localized, with no axe-core violations', async () => {
    const { page, problems } = await pages.open({
      viewport: VIEWPORTS.phone,
      acceptLanguage: 'ru',
      bypassCSP: true,
      allow: (status, path) => status === 404 && path === '/no-such-page',
    })
    const failures: string[] = []
    const response = await page.goto(server.baseUrl + '/no-such-page')
    assert.equal(response?.status(), 404)
    assert.equal(await page.locator('html').getAttribute('lang'), 'ru')
    assert.match(await page.locator('h1').innerText(), /Страница не найдена/)
    assert.equal(await page.locator('header nav.lang-switch').count(), 1)
    await pages.check(page, 'error-404-ru-phone', failures)
    assert.deepEqual(problems, [])
    assert.equal(failures.length, 0, failures.join('\n'))
  })
})

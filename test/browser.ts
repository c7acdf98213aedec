/**
 * Helpers for browser journeys (e2e/): Debian's Chromium driven by
 * playwright-core, the whole app on a random local port, screenshots under
 * test-results/screenshots/, and axe-core for accessibility.
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AxeResults, Result } from 'axe-core'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { base32Decode, totpAt } from '../src/modules/accounts/index'
import type { Clock } from '../src/platform/clock'
import type { Locale } from '../src/platform/context'
import { createTestApp, type TestApp, type TestAppOptions } from './app'

export const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url))
export const SCREENSHOT_DIR = path.join(ROOT_DIR, 'test-results', 'screenshots')
export const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
} as const

export type Device = keyof typeof VIEWPORTS
export type Viewport = { width: number; height: number }

/**
 * The width each language's journey runs at. A journey is a long walk
 * through real pages; running every journey at both widths in every language
 * doubled the browser step without finding more. So each language walks at
 * one width, Kazakh on a phone and Russian on a desktop, which together cover
 * both widths and both languages the issues require; English walks on a
 * phone. The home page (home.test.ts) still checks every language at every
 * width.
 */
export const JOURNEY_DEVICE: Record<Locale, Device> = { kk: 'phone', ru: 'desktop', en: 'phone' }

/**
 * `[locale, device, viewport, value]` for each language of `byLocale`, at that
 * language's journey width. The values may differ in type (an `as const`
 * table per language): the journey gets their union.
 */
export function journeys<B extends Partial<Record<Locale, unknown>>>(
  byLocale: B,
): Array<[Locale, Device, Viewport, NonNullable<B[keyof B]>]> {
  type T = NonNullable<B[keyof B]>
  return (Object.entries(byLocale) as Array<[Locale, T]>).map(([locale, value]) => {
    const device = JOURNEY_DEVICE[locale]
    return [locale, device, VIEWPORTS[device], value]
  })
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** The Chromium to drive: $OQU_CHROMIUM (set by scripts/test.mjs), else /usr/bin/chromium; undefined when absent. */
export function chromiumPath(): string | undefined {
  const candidate = process.env.OQU_CHROMIUM || '/usr/bin/chromium'
  return fs.existsSync(candidate) ? candidate : undefined
}

/**
 * `false` when browser tests can run; otherwise the reason to skip them.
 * Under CI (CI=true) a missing browser is never a skip: the tests run and fail.
 */
export function browserSkipReason(): string | false {
  if (chromiumPath() || process.env.CI === 'true') return false
  return 'Chromium not found ($OQU_CHROMIUM or /usr/bin/chromium): apt-get install chromium fonts-dejavu-core'
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath()
  if (!executablePath)
    throw new Error('Chromium not found: install it (apt-get install chromium fonts-dejavu-core) or set OQU_CHROMIUM')
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS })
}

export interface TestServer extends TestApp {
  baseUrl: string
}

/** Starts the whole app on a random port of 127.0.0.1. */
export async function startTestServer(options: TestAppOptions = {}): Promise<TestServer> {
  // Journeys run on PGlite, the embedded database of `npm start`, unless asked otherwise.
  // They load many pages and assets from one address: lift the per-IP limit.
  const testApp = await createTestApp({ kind: 'pglite', ...options, env: { OQU_RATE_LIMIT: '100000', ...options.env } })
  try {
    await testApp.app.listen({ port: 0, host: '127.0.0.1' })
  } catch (err) {
    await testApp.close()
    throw err
  }
  const address = testApp.app.server.address()
  if (!address || typeof address === 'string') throw new Error('server has no TCP address')
  return { ...testApp, baseUrl: `http://127.0.0.1:${address.port}` }
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const file = path.join(SCREENSHOT_DIR, `${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  return file
}

/** Waits until every web font the page uses has loaded. */
export async function fontsReady(page: Page): Promise<void> {
  await page.evaluate('document.fonts.ready.then(() => undefined)')
}

/**
 * Runs axe-core (WCAG 2.0–2.2 A/AA and best practices) on the page. axe is
 * injected as an inline script, so the page's context must be created with
 * `bypassCSP: true`.
 */
export async function runAxe(page: Page): Promise<AxeResults> {
  await page.addScriptTag({ path: AXE_PATH })
  // A string, not a function: this project's TypeScript has no DOM types.
  return (await page.evaluate(`axe.run(document, ${JSON.stringify(AXE_OPTIONS)})`)) as AxeResults
}

const AXE_OPTIONS = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
  resultTypes: ['violations'],
}

/** A readable account of axe violations: rule, impact, help, and the offending elements. */
export function formatAxeViolations(violations: Result[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map((n) => `      ${n.target.join(' ')}\n        ${n.failureSummary?.replace(/\n/g, '\n        ') ?? ''}`)
        .join('\n')
      return `  [${v.impact ?? 'n/a'}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`
    })
    .join('\n')
}

/**
 * Collects what must never happen on a page: CSP refusals, script errors,
 * failed requests, and error statuses other than those `allow` expects.
 */
export function watchPage(page: Page, allow: (status: number, path: string) => boolean = () => false): string[] {
  const problems: string[] = []
  page.on('console', (m) => {
    const text = m.text()
    // A resource that failed to load is judged by its response below, where `allow` applies.
    const scriptError = m.type() === 'error' && !text.startsWith('Failed to load resource')
    if (scriptError || /Content Security Policy|Refused to/.test(text)) problems.push(`console: ${text}`)
  })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('response', (r) => {
    if (r.status() >= 400 && !allow(r.status(), new URL(r.url()).pathname)) problems.push(`${r.status()} ${r.url()}`)
  })
  page.on('requestfailed', (r) => {
    // ERR_ABORTED: the journey navigated on before a request (e.g. the icon) finished; not a fault of the page.
    const reason = r.failure()?.errorText ?? ''
    if (!reason.includes('ERR_ABORTED')) problems.push(`failed: ${r.url()} ${reason}`)
  })
  return problems
}

/** Recovery codes of staff accounts enrolled by `passSecondFactor`, by e-mail. */
const staffRecoveryCodes = new Map<string, string[]>()

/**
 * After a staff member's password (support, dpo, admin), passes the second
 * factor as that person would: on the first sign-in enrols the authenticator
 * (reads the secret, types the current code, keeps the recovery codes and
 * follows "continue"); later, types one of those recovery codes (a TOTP step
 * works once and journeys keep the clock still). Does nothing elsewhere.
 */
export async function passSecondFactor(page: Page, clock: Clock, email: string): Promise<void> {
  const at = () => new URL(page.url()).pathname
  if (at() === '/login/second-factor/enrol') {
    const secret = (await page.locator('#totp-secret').innerText()).replace(/\s/g, '')
    await page
      .locator('form[action="/login/second-factor/enrol"] input[name="code"]')
      .fill(totpAt(base32Decode(secret), clock.now()))
    await page.locator('form[action="/login/second-factor/enrol"] button[type="submit"]').click()
    await page.locator('.recovery-codes').waitFor()
    staffRecoveryCodes.set(email, await page.locator('.recovery-codes li').allInnerTexts())
    await page.locator('main a.button-primary').click()
    await page.waitForURL((url) => url.pathname !== '/login/second-factor/enrol')
  } else if (at() === '/login/second-factor') {
    const code = staffRecoveryCodes.get(email)?.pop()
    if (!code) throw new Error(`no recovery code kept for ${email}`)
    await page.locator('form[action="/login/second-factor"] input[name="code"]').fill(code)
    await page.locator('form[action="/login/second-factor"] button[type="submit"]').click()
    await page.waitForURL((url) => url.pathname !== '/login/second-factor')
  }
}

export interface JourneyPage {
  context: BrowserContext
  page: Page
  /** Console errors, CSP refusals, failed requests and unexpected error statuses seen so far. */
  problems: string[]
}

export interface JourneyPageOptions {
  viewport?: Viewport
  /** The Accept-Language header: a locale ('ru') or a full header ('ru-RU,ru;q=0.9'). */
  acceptLanguage?: string
  userAgent?: string
  /** Error statuses this page expects (a refused form, a 404 on purpose); others are problems. */
  allow?: (status: number, path: string) => boolean
  /**
   * Whether the context ignores the Content-Security-Policy (default true,
   * so that `check` can inject axe-core inline). A page that bypasses CSP
   * never refuses anything, so a test that proves "no CSP refusals" opens
   * its page with `bypassCSP: false` (and runs no axe on it).
   */
  bypassCSP?: boolean
}

/**
 * The pages of one journey file: `open` makes a fresh browser context (its
 * own cookies) with the page watched for problems; `check` waits for the
 * fonts, records sideways scrolling, saves a screenshot and runs axe-core;
 * `close` ends every context. axe is injected inline, so contexts bypass CSP
 * unless opened with `bypassCSP: false`; only such pages can show a CSP
 * refusal (caught by `watchPage`'s console listener) — home.test.ts has them.
 */
export function journeyPages(browser: () => Browser, defaults: JourneyPageOptions = {}) {
  const contexts: BrowserContext[] = []
  return {
    async open(options: JourneyPageOptions = {}): Promise<JourneyPage> {
      const o = { ...defaults, ...options }
      const context = await browser().newContext({
        viewport: o.viewport ?? VIEWPORTS.desktop,
        bypassCSP: o.bypassCSP ?? true,
        ...(o.acceptLanguage ? { extraHTTPHeaders: { 'accept-language': o.acceptLanguage } } : {}),
        ...(o.userAgent ? { userAgent: o.userAgent } : {}),
      })
      contexts.push(context)
      const page = await context.newPage()
      return { context, page, problems: watchPage(page, o.allow) }
    },
    async check(page: Page, name: string, failures: string[]): Promise<void> {
      await fontsReady(page)
      const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number
      if (overflow > 0) failures.push(`${name}: scrolls sideways by ${overflow}px`)
      await screenshot(page, name)
      const { violations } = await runAxe(page)
      if (violations.length) failures.push(`${name}:\n${formatAxeViolations(violations)}`)
    },
    async close(): Promise<void> {
      for (const c of contexts.splice(0)) await c.close().catch(() => {})
    },
  }
}

/**
 * Signs in through /login as a person would (the form's fields by name, so
 * any language works), passes a staff second factor when one is asked, and
 * waits until the browser has left the sign-in pages (and, with `next`, is
 * on that page: its path, without query or fragment).
 */
export async function signInThroughForm(
  page: Page,
  server: { baseUrl: string; clock: Clock },
  person: { email: string; password: string },
  next?: string,
): Promise<void> {
  await page.goto(`${server.baseUrl}/login${next ? `?next=${encodeURIComponent(next)}` : ''}`)
  await page.locator('main input[name="identifier"]').fill(person.email)
  await page.locator('main input[name="password"]').fill(person.password)
  await page.locator('main form[action^="/login"] button[type="submit"]').click()
  await page.waitForURL((url) => url.pathname !== '/login')
  await passSecondFactor(page, server.clock, person.email)
  if (next) await page.waitForURL((url) => url.pathname === next.split(/[?#]/)[0])
}

import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTestApp, type TestApp } from '../../../test/app'

const EXPECT = {
  kk: {
    h1: 'Білім алу мен мамандық таңдау — бір платформада',
    texts: [
      'Қашықтан оқыту мектебі',
      'Білім беру навигаторы',
      'Кәсіптік бағдар беру диагностикасы',
      'Сертификаттың түпнұсқалығын кез келген адам тексере алады',
      'Қатесін түзету',
      'Өңдеуді бұғаттау',
      'Деректерді жою',
      'Келісімді кері қайтарып алу',
      '№\u00a094-V',
    ],
  },
  ru: {
    h1: 'Учиться и выбирать профессию — на одной платформе',
    texts: [
      'Школа дистанционного обучения',
      'Образовательный навигатор',
      'Профориентационная диагностика',
      'Подлинность сертификата может проверить любой',
      'Исправить ошибки',
      'Заблокировать обработку',
      'Удалить данные',
      'Отозвать согласие',
      '№\u00a094-V',
    ],
  },
  en: {
    h1: 'Learn and choose your career — on one platform',
    texts: [
      'Distance-learning school',
      'Education navigator',
      'Career-guidance diagnostics',
      'Anyone can check that a certificate is genuine',
      'Correct mistakes',
      'Block processing',
      'Delete your data',
      'Withdraw consent',
      'No.\u00a094-V',
    ],
  },
} as const

describe('home page', () => {
  let t: TestApp
  before(async () => {
    t = await createTestApp()
  })
  after(() => t.close())

  it('is in Kazakh by default, as HTML that caches per language', async () => {
    const res = await t.app.inject({ url: '/' })
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['content-type']), /^text\/html; charset=utf-8/)
    assert.equal(res.headers['content-language'], 'kk')
    assert.match(String(res.headers.vary), /Accept-Language/)
    assert.match(String(res.headers.vary), /Cookie/)
    assert.match(res.body, /<html lang="kk"/)
  })

  for (const [locale, expected] of Object.entries(EXPECT)) {
    it(`says what Oqu is in ${locale} (by Accept-Language and by cookie), at the same path`, async () => {
      for (const headers of [
        { 'accept-language': `${locale};q=0.9` },
        { cookie: `oqu_locale=${locale}`, 'accept-language': 'de' },
      ]) {
        const res = await t.app.inject({ url: '/', headers })
        assert.equal(res.statusCode, 200)
        assert.match(res.body, new RegExp(`<html lang="${locale}"`))
        assert.ok(res.body.includes(`<h1 id="hero-title">${expected.h1}</h1>`), 'h1')
        for (const text of expected.texts) assert.ok(res.body.includes(text), `${locale}: ${text}`)
        assert.equal(res.body.match(/<h1[ >]/g)?.length, 1, 'exactly one h1')
      }
    })
  }

  it('links only to anchors that exist on the page', async () => {
    const body = (await t.app.inject({ url: '/' })).body
    for (const [, id] of body.matchAll(/href="#([^"]+)"/g)) assert.match(body, new RegExp(`id="${id}"`), `#${id}`)
  })

  it('keeps to the strict CSP: no inline script or style, header present', async () => {
    const res = await t.app.inject({ url: '/' })
    assert.match(String(res.headers['content-security-policy']), /script-src 'self'/)
    assert.match(String(res.headers['content-security-policy']), /style-src 'self'/)
    assert.doesNotMatch(res.body, /<script|<style|\sstyle=|\son\w+=/i)
  })

  it('decorative icons are hidden from assistive technology', async () => {
    const body = (await t.app.inject({ url: '/' })).body
    const svgs = body.match(/<svg[^>]*>/g) ?? []
    assert.ok(svgs.length > 5)
    for (const svg of svgs) assert.match(svg, /aria-hidden="true"/)
  })
})

describe('assets', () => {
  let t: TestApp
  before(async () => {
    t = await createTestApp()
  })
  after(() => t.close())

  it('serves the stylesheet, icon and web fonts for a year', async () => {
    for (const [url, type] of [
      ['/assets/app.css', /^text\/css/],
      ['/assets/icon.svg', /^image\/svg\+xml/],
      ['/assets/ornament.svg', /^image\/svg\+xml/],
      ['/assets/fonts/noto-sans-cyrillic-ext-wght-normal.woff2', /^font\/woff2/],
      ['/assets/fonts/noto-sans-cyrillic-wght-normal.woff2', /^font\/woff2/],
    ] as const) {
      const res = await t.app.inject({ url })
      assert.equal(res.statusCode, 200, url)
      assert.match(String(res.headers['content-type']), type, url)
      assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable', url)
    }
  })

  it('serves nothing else from the font package or outside public/', async () => {
    for (const url of [
      '/assets/fonts/noto-sans-devanagari-wght-normal.woff2',
      '/assets/fonts/../package.json',
      '/assets/%2e%2e/package.json',
      '/assets/fonts/%2e%2e%2fpackage.json',
      '/assets/',
    ]) {
      const res = await t.app.inject({ url, headers: { accept: 'text/html' } })
      assert.notEqual(res.statusCode, 200, url)
      assert.doesNotMatch(res.body, /"name":\s*"/, url)
    }
  })
})

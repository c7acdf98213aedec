import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTestApp, type TestApp } from '../../../test/app'
import { LOCALE_COOKIE } from './i18n'
import { languageSwitchUrl, safeLocalPath } from './language-route'

describe('safeLocalPath: the open-redirect guard', () => {
  it('keeps local paths with their query and fragment', () => {
    for (const p of ['/', '/courses', '/courses/42?tab=lessons', '/a#b', '/%2F%2Fevil.example'])
      assert.equal(safeLocalPath(p), p)
  })

  it('refuses anything that could leave the site', () => {
    const hostile = [
      '//evil.example',
      '//evil.example/path',
      '/\\evil.example',
      '\\\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      '/\r\n/evil.example',
      'https://evil.example',
      'javascript:alert(1)',
      'evil.example',
      '',
      '/' + 'a'.repeat(2048),
    ]
    for (const p of hostile) assert.equal(safeLocalPath(p), '/', JSON.stringify(p))
    assert.equal(safeLocalPath(undefined), '/')
    assert.equal(safeLocalPath(['/a']), '/')
  })

  it('percent-encodes non-ASCII so the Location header stays valid', () => {
    assert.equal(safeLocalPath('/курстар'), '/%D0%BA%D1%83%D1%80%D1%81%D1%82%D0%B0%D1%80')
  })

  it('builds switcher links that come back to the current page', () => {
    assert.equal(languageSwitchUrl('ru', '/courses?page=2'), '/lang/ru?next=%2Fcourses%3Fpage%3D2')
    assert.equal(languageSwitchUrl('en', '//evil.example'), '/lang/en?next=%2F')
  })
})

describe('GET /lang/:locale', () => {
  let t: TestApp
  before(async () => {
    t = await createTestApp()
  })
  after(() => t.close())

  it('sets the locale cookie for a year (HttpOnly, SameSite=Lax) and goes back to next', async () => {
    const res = await t.app.inject({ url: '/lang/ru?next=%2Fcourses%3Fpage%3D2' })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/courses?page=2')
    const cookie = res.cookies.find((c) => c.name === LOCALE_COOKIE)
    assert.ok(cookie)
    assert.equal(cookie.value, 'ru')
    assert.equal(cookie.maxAge, 31_536_000)
    assert.equal(cookie.path, '/')
    assert.equal(cookie.httpOnly, true)
    assert.equal(cookie.sameSite, 'Lax')
    assert.equal(cookie.secure, undefined, 'not Secure on a plain-HTTP public URL')
  })

  it('redirects home without next', async () => {
    const res = await t.app.inject({ url: '/lang/en' })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/')
  })

  for (const next of ['//evil.example', 'https://evil.example/', '/\\evil.example', '/\t/evil.example']) {
    it(`never redirects off-site (next=${JSON.stringify(next)})`, async () => {
      const res = await t.app.inject({ url: `/lang/kk?next=${encodeURIComponent(next)}` })
      assert.equal(res.statusCode, 303)
      assert.equal(res.headers.location, '/')
    })
  }

  it('refuses an unknown locale with 404 and sets no cookie', async () => {
    for (const url of ['/lang/de?next=/', '/lang/kz', '/lang/KK']) {
      const res = await t.app.inject({ url, headers: { accept: 'text/html' } })
      assert.equal(res.statusCode, 404, url)
      assert.equal(res.cookies.length, 0)
    }
  })

  it('the chosen language wins over Accept-Language on the next page', async () => {
    const res = await t.app.inject({ url: '/', headers: { 'accept-language': 'ru', cookie: `${LOCALE_COOKIE}=en` } })
    assert.match(res.body, /<html lang="en"/)
  })
})

describe('GET /lang/:locale behind HTTPS', () => {
  let t: TestApp
  before(async () => {
    t = await createTestApp({ env: { OQU_PUBLIC_URL: 'https://oqu.example.kz' } })
  })
  after(() => t.close())

  it('marks the cookie Secure', async () => {
    const res = await t.app.inject({ url: '/lang/kk?next=/' })
    const cookie = res.cookies.find((c) => c.name === LOCALE_COOKIE)
    assert.equal(cookie?.secure, true)
  })
})

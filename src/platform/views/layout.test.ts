import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, it } from 'node:test'
import type { FastifyRequest } from 'fastify'
import type { Locale } from '../context'
import { createI18n, loadLocaleFiles } from '../i18n/i18n'
import { PUBLIC_DIR } from './assets'
import { html } from './html'
import { createViews } from './layout'

const i18n = createI18n(loadLocaleFiles(fileURLToPath(new URL('../../../locales', import.meta.url))))
const views = createViews({ i18n })

function request(locale: Locale, url = '/'): FastifyRequest {
  return { ctx: { locale }, url } as unknown as FastifyRequest
}

const count = (haystack: string, re: RegExp) => (haystack.match(re) ?? []).length

describe('layout', () => {
  const page = views.page(request('ru', '/courses?page=2'), { title: 'Курсы', main: html`<h1>Курсы</h1>` })

  it('declares the language of the page', () => {
    assert.match(page, /^<!doctype html>\n<html lang="ru" dir="ltr">/)
    assert.match(page, /<title>Курсы · Oqu<\/title>/)
  })

  it('has each landmark once and a skip link first in the body that targets main', () => {
    assert.match(page, /<body>\n<a class="skip-link" href="#main">Перейти к основному содержанию<\/a>/)
    for (const re of [
      /<header[ >]/g,
      /<main id="main"/g,
      /<footer[ >]/g,
      /<nav class="lang-switch" aria-label="Выбор языка">/g,
    ]) {
      assert.equal(count(page, re), 1, String(re))
    }
  })

  it('offers every language by its own name, marks the current one, and comes back to the same page', () => {
    const links = [
      ...page.matchAll(/<a href="([^"]+)" hreflang="(\w+)" lang="(\w+)"( aria-current="true")?>([^<]+)<\/a>/g),
    ]
    assert.deepEqual(
      links.map(([, href, hreflang, lang, current, name]) => ({
        href,
        hreflang,
        lang,
        current: Boolean(current),
        name,
      })),
      [
        { href: '/lang/kk?next=%2Fcourses%3Fpage%3D2', hreflang: 'kk', lang: 'kk', current: false, name: 'Қазақша' },
        { href: '/lang/ru?next=%2Fcourses%3Fpage%3D2', hreflang: 'ru', lang: 'ru', current: true, name: 'Русский' },
        { href: '/lang/en?next=%2Fcourses%3Fpage%3D2', hreflang: 'en', lang: 'en', current: false, name: 'English' },
      ],
    )
  })

  it('works under the strict CSP: no inline scripts, styles or style attributes', () => {
    assert.doesNotMatch(page, /<script|<style|\sstyle=|\son\w+=/i)
    const css = /<link rel="stylesheet" href="\/assets\/app\.css\?v=([0-9a-f]{12})">/.exec(page)
    assert.ok(css, 'links the stylesheet with a content hash')
    assert.ok(fs.existsSync(path.join(PUBLIC_DIR, 'app.css')))
  })

  it('escapes the title and description', () => {
    const evil = views.page(request('kk'), { title: '<script>x</script>', description: '"><b>', main: html`` })
    assert.match(evil, /<title>&lt;script&gt;x&lt;\/script&gt; · Oqu<\/title>/)
    assert.match(evil, /content="&quot;&gt;&lt;b&gt;"/)
  })

  it('contains content by default, and leaves full-width pages to lay themselves out', () => {
    assert.match(page, /<div class="container page"><h1>Курсы<\/h1><\/div>/)
    const full = views.page(request('en'), { title: 'x', main: html`<section class="hero"></section>`, width: 'full' })
    assert.match(full, /<main id="main" tabindex="-1">\n<section class="hero">/)
  })

  it('links the authoring pages for instructors and admins only', () => {
    const as = (roles: string[]) =>
      views.page(
        { ctx: { locale: 'kk', actor: { kind: 'user', id: 'x', roles } }, url: '/' } as unknown as FastifyRequest,
        {
          title: 'T',
          main: html``,
        },
      )
    for (const roles of [['instructor'], ['admin']]) assert.match(as(roles), /<a href="\/teach\/courses">Оқыту<\/a>/)
    for (const roles of [['learner'], ['dpo'], []]) assert.ok(!as(roles).includes('/teach/courses'), roles.join())
    assert.ok(!page.includes('/teach/courses'), 'not for visitors')
  })

  it('falls back to Kazakh when the request has no context yet', () => {
    const bare = views.page({ url: '/' } as unknown as FastifyRequest, { title: 't', main: html`` })
    assert.match(bare, /<html lang="kk"/)
  })

  it('renders the footer with the tagline and the law', () => {
    assert.match(page, /Дистанционное обучение и образовательный навигатор/)
    assert.match(page, /№\u00a094-V/)
  })
})

describe('error page', () => {
  it('says what happened in the request language, with the request id and a way home', () => {
    const out = views.errorPage(request('kk', '/nope'), {
      status: 404,
      code: 'not_found',
      message: 'Бет табылмады.',
      requestId: 'req-123',
    })
    assert.match(out, /<html lang="kk"/)
    assert.match(out, /<h1 id="error-title">Бет табылмады<\/h1>/)
    assert.match(out, /Қате коды: 404/)
    assert.match(out, /Сілтеме ескірген болуы мүмкін/)
    assert.match(out, /<code>req-123<\/code>/)
    assert.match(out, /<a class="button button-primary" href="\/">Басты бетке оралу<\/a>/)
  })

  it('tells a server error apart and escapes the message', () => {
    const out = views.errorPage(request('en'), { status: 500, code: 'internal', message: '<oops>', requestId: 'r"1' })
    assert.match(out, /We have logged the error/)
    assert.match(out, /&lt;oops&gt;/)
    assert.match(out, /<code>r&quot;1<\/code>/)
  })
})

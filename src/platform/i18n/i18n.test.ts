import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { describe, it } from 'node:test'
import { createI18n, flatten, isLocale, loadLocaleFiles, resolveLocale } from './i18n'

const i18n = createI18n(loadLocaleFiles(fileURLToPath(new URL('../../../locales', import.meta.url))))

describe('resolveLocale: cookie > Accept-Language > kk', () => {
  it('defaults to Kazakh with neither cookie nor header', () => {
    assert.equal(resolveLocale(undefined, undefined), 'kk')
    assert.equal(resolveLocale(undefined, ''), 'kk')
  })

  it('prefers the cookie over Accept-Language', () => {
    assert.equal(resolveLocale('en', 'ru-RU,ru;q=0.9'), 'en')
    assert.equal(resolveLocale('kk', 'en'), 'kk')
  })

  it('ignores a cookie that is not a supported locale', () => {
    assert.equal(resolveLocale('de', 'ru'), 'ru')
    assert.equal(resolveLocale('<script>', undefined), 'kk')
  })

  it('follows Accept-Language by quality, matching region tags by language', () => {
    assert.equal(resolveLocale(undefined, 'ru-RU,ru;q=0.9,en-US;q=0.8'), 'ru')
    assert.equal(resolveLocale(undefined, 'en;q=0.5, ru;q=0.8'), 'ru')
    assert.equal(resolveLocale(undefined, 'kk-KZ'), 'kk')
    assert.equal(resolveLocale(undefined, 'EN-gb'), 'en')
  })

  it('skips unsupported languages and q=0', () => {
    assert.equal(resolveLocale(undefined, 'de-DE, fr;q=0.9, en;q=0.1'), 'en')
    assert.equal(resolveLocale(undefined, 'ru;q=0, en;q=0.2'), 'en')
    assert.equal(resolveLocale(undefined, 'de, fr'), 'kk')
    assert.equal(resolveLocale(undefined, '*'), 'kk')
  })
})

describe('plurals (ICU, CLDR rules)', () => {
  it('Russian picks one / few / many', () => {
    const courses = (count: number) => i18n.t('ru', 'common.courses', { count })
    assert.equal(courses(1), '1 курс')
    assert.equal(courses(21), '21 курс')
    assert.equal(courses(2), '2 курса')
    assert.equal(courses(34), '34 курса')
    assert.equal(courses(5), '5 курсов')
    assert.equal(courses(11), '11 курсов')
    assert.equal(courses(12), '12 курсов')
    assert.equal(courses(100), '100 курсов')
  })

  it('English picks one / other, Kazakh keeps the singular after a number', () => {
    assert.equal(i18n.t('en', 'common.courses', { count: 1 }), '1 course')
    assert.equal(i18n.t('en', 'common.courses', { count: 3 }), '3 courses')
    assert.equal(i18n.t('kk', 'common.courses', { count: 1 }), '1 курс')
    assert.equal(i18n.t('kk', 'common.courses', { count: 5 }), '5 курс')
  })
})

describe('createI18n', () => {
  const small = createI18n({
    kk: { greeting: 'Сәлем, {name}!', only: 'тек қазақша' },
    ru: { greeting: 'Привет, {name}!' },
    en: { greeting: 'Hello, {name}!' },
  })

  it('formats arguments', () => {
    assert.equal(small.t('en', 'greeting', { name: 'Aru' }), 'Hello, Aru!')
  })

  it('falls back to Kazakh, then to the key itself', () => {
    assert.equal(small.t('ru', 'only'), 'тек қазақша')
    assert.equal(small.t('ru', 'nowhere'), 'nowhere')
    assert.equal(small.has('ru', 'only'), false)
  })

  it('flattens nested messages and refuses non-strings', () => {
    assert.deepEqual(flatten({ a: { b: 'x', c: { d: 'y' } } }), { 'a.b': 'x', 'a.c.d': 'y' })
    assert.throws(() => flatten({ a: 1 }), /a must be a string/)
  })

  it('knows its locales', () => {
    assert.equal(isLocale('kk'), true)
    assert.equal(isLocale('kz'), false)
    assert.equal(isLocale(undefined), false)
  })
})

/**
 * Messages in kk (default), ru and en with ICU syntax (plurals, selects).
 * Locale comes from the user's choice (cookie) > Accept-Language > kk.
 */
import fs from 'node:fs'
import path from 'node:path'
import { IntlMessageFormat } from 'intl-messageformat'
import { DEFAULT_LOCALE, LOCALES, type Locale } from '../context'

export type Messages = Record<string, string>
export type MessageValues = Record<string, string | number | Date>

export interface I18n {
  t(locale: Locale, key: string, values?: MessageValues): string
  has(locale: Locale, key: string): boolean
  keys(locale: Locale): string[]
}

export const LOCALE_COOKIE = 'oqu_locale'

/** Flattens nested JSON objects into dotted keys. */
export function flatten(obj: Record<string, unknown>, prefix = ''): Messages {
  const out: Messages = {}
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (typeof v === 'string') out[key] = v
    else if (v && typeof v === 'object') Object.assign(out, flatten(v as Record<string, unknown>, key))
    else throw new Error(`Message ${key} must be a string`)
  }
  return out
}

export function loadLocaleFiles(dir: string): Record<Locale, Messages> {
  const result = {} as Record<Locale, Messages>
  for (const locale of LOCALES) {
    const raw = JSON.parse(fs.readFileSync(path.join(dir, `${locale}.json`), 'utf8')) as Record<string, unknown>
    result[locale] = flatten(raw)
  }
  return result
}

export function createI18n(messages: Record<Locale, Messages>): I18n {
  const cache = new Map<string, IntlMessageFormat>()
  function format(locale: Locale, key: string): IntlMessageFormat | undefined {
    const id = `${locale}\u0000${key}`
    let f = cache.get(id)
    if (!f) {
      const source = messages[locale]?.[key]
      if (source === undefined) return undefined
      f = new IntlMessageFormat(source, locale)
      cache.set(id, f)
    }
    return f
  }
  return {
    t(locale, key, values) {
      const f = format(locale, key) ?? format(DEFAULT_LOCALE, key)
      if (!f) return key
      return String(f.format(values))
    },
    has: (locale, key) => messages[locale]?.[key] !== undefined,
    keys: (locale) => Object.keys(messages[locale] ?? {}),
  }
}

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v)
}

/** cookie > Accept-Language (by q order) > kk. */
export function resolveLocale(cookie: string | undefined, acceptLanguage: string | undefined): Locale {
  if (isLocale(cookie)) return cookie
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .split(',')
      .map((part) => {
        const [tag = '', ...params] = part.trim().split(';')
        const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
        return { lang: tag.toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) || 0 : 1 }
      })
      .filter((x) => x.q > 0)
      .sort((a, b) => b.q - a.q)
    for (const { lang } of ranked) if (isLocale(lang)) return lang
  }
  return DEFAULT_LOCALE
}

/** Each language named in itself (autonyms): the switcher shows these in every locale. */
export const LANGUAGE_NAMES: Readonly<Record<Locale, string>> = { kk: 'Қазақша', ru: 'Русский', en: 'English' }

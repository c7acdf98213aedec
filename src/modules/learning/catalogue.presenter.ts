/**
 * Catalogue presentation: reads the search form's query string leniently
 * (an unknown filter value is ignored, not an error), builds links that keep
 * the search and filters, and words prices, hours and levels per language.
 */
import { LOCALES, type Locale } from '../../platform/context'
import { LANGUAGE_NAMES, type I18n } from '../../platform/i18n/i18n'
import type { CatalogueQuery } from './catalogue.service'
import { COURSE_LEVELS, type CourseLevel } from './learning.tables'

/** The catalogue's query string as the form sends it (every field optional, possibly empty). */
export interface RawCatalogueQuery {
  q?: string
  lang?: string
  price?: string
  level?: string
  page?: string
}

/** The highest page number read from a link; beyond it the list is simply empty. */
const MAX_PAGE = 10_000

/** Reads the query string: known values are kept, anything else means "no filter". */
export function parseCatalogueQuery(
  raw: RawCatalogueQuery,
): Required<Pick<CatalogueQuery, 'q' | 'page'>> & CatalogueQuery {
  const q = (raw.q ?? '').replace(/\s+/g, ' ').trim()
  const page = /^\d{1,5}$/.test(raw.page ?? '') ? Math.min(Math.max(Number(raw.page), 1), MAX_PAGE) : 1
  return {
    q,
    page,
    language: LOCALES.find((l) => l === raw.lang),
    price: raw.price === 'free' || raw.price === 'paid' ? raw.price : undefined,
    level: COURSE_LEVELS.find((l) => l === raw.level),
  }
}

/** `/courses?…` with the search and filters kept and the given page (page 1 is left out). */
export function catalogueUrl(query: CatalogueQuery, page = 1): string {
  const params = new URLSearchParams()
  if (query.q) params.set('q', query.q)
  if (query.language) params.set('lang', query.language)
  if (query.price) params.set('price', query.price)
  if (query.level) params.set('level', query.level)
  if (page > 1) params.set('page', String(page))
  const search = params.toString()
  return search ? `/courses?${search}` : '/courses'
}

/** Whether any filter (not the search text) is set. */
export function hasFilters(query: CatalogueQuery): boolean {
  return Boolean(query.language || query.price || query.level)
}

/** The path of a course page. */
export function courseUrl(slug: string): string {
  return `/courses/${encodeURIComponent(slug)}`
}

const PRICE_FORMATS = new Map<Locale, Intl.NumberFormat>(
  LOCALES.map((l) => [
    l,
    new Intl.NumberFormat(l, {
      style: 'currency',
      currency: 'KZT',
      currencyDisplay: 'narrowSymbol',
      maximumFractionDigits: 0,
    }),
  ]),
)

/** "Тегін" / "Бесплатно" / "Free", or the price in tenge as the language writes it ("15 000 ₸", "₸15,000"). */
export function priceLabel(i18n: I18n, locale: Locale, priceKzt: number | null): string {
  if (priceKzt === null) return i18n.t(locale, 'learning.course.free')
  return PRICE_FORMATS.get(locale)!.format(priceKzt)
}

export function levelLabel(i18n: I18n, locale: Locale, level: CourseLevel): string {
  return i18n.t(locale, `learning.course.levels.${level}`)
}

/** The course's languages by their own names ("Қазақша, Русский"). */
export function languageNames(languages: readonly Locale[]): { locale: Locale; name: string }[] {
  return languages.map((l) => ({ locale: l, name: LANGUAGE_NAMES[l] }))
}

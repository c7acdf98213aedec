/**
 * The catalogue page's HTML: a search form that works without JavaScript
 * (GET, filters as selects), the result count, course cards, an empty state
 * and pagination with rel=prev/next. Course texts carry their own `lang`
 * when they are not in the page's language.
 */
import { LOCALES, type Locale } from '../../platform/context'
import type { I18n, MessageValues } from '../../platform/i18n/i18n'
import { html, type SafeHtml } from '../../platform/views/html'
import { catalogueUrl, courseUrl, hasFilters, languageNames, levelLabel, priceLabel } from './catalogue.presenter'
import type { CatalogueQuery, CataloguePage, CourseCard } from './catalogue.service'
import { COURSE_LEVELS } from './learning.tables'
import { LANGUAGE_NAMES } from '../../platform/i18n/i18n'

export type T = (key: string, values?: MessageValues) => string

/** `lang="…"` when a text is not in the page's language. */
export function langAttr(textLocale: Locale, pageLocale: Locale): SafeHtml {
  return textLocale === pageLocale ? html`` : html` lang="${textLocale}"`
}

function option(value: string, label: string, selected: string | undefined, lang?: Locale): SafeHtml {
  return html`<option value="${value}"${value === (selected ?? '') ? html` selected` : ''}${lang ? html` lang="${lang}"` : ''}>${label}</option>`
}

function select(t: T, name: string, id: string, label: string, options: SafeHtml[]): SafeHtml {
  return html`<div class="filter"><label class="field-label" for="${id}">${label}</label><select class="input" id="${id}" name="${name}">${options}</select></div>`
}

function searchForm(t: T, query: CatalogueQuery): SafeHtml {
  const any = t('learning.catalogue.filters.any')
  const languages = [
    option('', any, query.language),
    ...LOCALES.map((l) => option(l, LANGUAGE_NAMES[l], query.language, l)),
  ]
  const prices = [
    option('', any, query.price),
    option('free', t('learning.catalogue.filters.free'), query.price),
    option('paid', t('learning.catalogue.filters.paid'), query.price),
  ]
  const levels = [
    option('', any, query.level),
    ...COURSE_LEVELS.map((l) => option(l, t(`learning.course.levels.${l}`), query.level)),
  ]
  return html`<form class="catalogue-search" method="get" action="/courses" role="search" aria-label="${t('learning.catalogue.search.label')}">
<label class="field-label" for="catalogue-q">${t('learning.catalogue.search.label')}</label>
<div class="search-row">
<input class="input" type="search" id="catalogue-q" name="q" value="${query.q ?? ''}" maxlength="200" placeholder="${t('learning.catalogue.search.placeholder')}" autocomplete="off" enterkeyhint="search">
<button class="button button-primary" type="submit">${t('learning.catalogue.search.submit')}</button>
</div>
<fieldset class="filters">
<legend class="filters-legend">${t('learning.catalogue.filters.title')}</legend>
<div class="filters-grid">
${select(t, 'lang', 'filter-lang', t('learning.catalogue.filters.language'), languages)}
${select(t, 'price', 'filter-price', t('learning.catalogue.filters.price'), prices)}
${select(t, 'level', 'filter-level', t('learning.catalogue.filters.level'), levels)}
<div class="filter-actions"><button class="button button-secondary" type="submit">${t('learning.catalogue.filters.apply')}</button></div>
</div>
${
  hasFilters(query)
    ? html`<p class="filters-reset"><a href="${catalogueUrl({ q: query.q })}">${t('learning.catalogue.filters.reset')}</a></p>`
    : ''
}
</fieldset>
</form>`
}

/** The facts a card and a course page share: languages, level, hours (a card's tag already names the level). */
export function courseFacts(t: T, course: CourseCard, extra: SafeHtml[] = [], compact = false): SafeHtml {
  const names = languageNames(course.languages).map(
    ({ locale, name }, i) => html`${i > 0 ? ', ' : ''}<span lang="${locale}">${name}</span>`,
  )
  return html`<dl class="course-facts${compact ? ' course-facts-compact' : ''}">
<div><dt>${t('learning.course.language')}</dt><dd>${names}</dd></div>
${compact ? '' : html`<div><dt>${t('learning.course.level')}</dt><dd>${t(`learning.course.levels.${course.level}`)}</dd></div>`}
<div><dt>${t('learning.course.duration')}</dt><dd>${t('learning.course.hours', { hours: course.durationHours })}</dd></div>
${extra}
</dl>`
}

/** The "Demo" badge with its explanation for assistive technology. */
export function demoBadge(t: T, demo: boolean): SafeHtml {
  return demo
    ? html`<span class="badge badge-demo" title="${t('learning.course.demoNote')}">${t('learning.course.demo')}<span class="visually-hidden">: ${t('learning.course.demoNote')}</span></span>`
    : html``
}

function card(t: T, i18n: I18n, locale: Locale, course: CourseCard): SafeHtml {
  const lang = langAttr(course.locale, locale)
  const free = course.priceKzt === null
  return html`<li class="course-card">
<article aria-labelledby="course-${course.id}">
<p class="course-card-tags">${demoBadge(t, course.demo)}<span class="course-level">${levelLabel(i18n, locale, course.level)}</span></p>
<h2 class="course-card-title" id="course-${course.id}"${lang}><a href="${courseUrl(course.slug)}">${course.title}</a></h2>
${course.summary ? html`<p class="course-card-summary"${lang}>${course.summary}</p>` : ''}
${courseFacts(t, course, [], true)}
<p class="course-price${free ? ' course-price-free' : ''}"><span class="visually-hidden">${t('learning.course.price')}: </span>${priceLabel(i18n, locale, course.priceKzt)}</p>
</article>
</li>`
}

function pagination(t: T, query: CatalogueQuery, result: CataloguePage): SafeHtml {
  if (result.pageCount <= 1 || result.page > result.pageCount) return html``
  const { page, pageCount } = result
  const prev =
    page > 1
      ? html`<a class="button button-secondary" rel="prev" href="${catalogueUrl(query, page - 1)}">← ${t('learning.catalogue.pagination.prev')}</a>`
      : html`<span></span>`
  const next =
    page < pageCount
      ? html`<a class="button button-secondary" rel="next" href="${catalogueUrl(query, page + 1)}">${t('learning.catalogue.pagination.next')} →</a>`
      : html`<span></span>`
  return html`<nav class="pagination" aria-label="${t('learning.catalogue.pagination.label')}">
${prev}<p class="pagination-status" aria-current="page">${t('learning.catalogue.pagination.status', { page, pages: pageCount })}</p>${next}
</nav>`
}

function emptyState(t: T, query: CatalogueQuery, result: CataloguePage): SafeHtml {
  const searching = Boolean(query.q) || hasFilters(query)
  if (result.total > 0) {
    return html`<div class="empty-state"><h2>${t('learning.catalogue.empty.beyond')}</h2><p><a class="button button-secondary" href="${catalogueUrl(query, result.pageCount)}">← ${t('learning.catalogue.pagination.prev')}</a></p></div>`
  }
  return html`<div class="empty-state">
<h2>${searching ? t('learning.catalogue.empty.title') : t('learning.catalogue.empty.none')}</h2>
${searching ? html`<p>${t('learning.catalogue.empty.text')}</p><p><a class="button button-secondary" href="/courses">${t('learning.catalogue.empty.all')}</a></p>` : ''}
</div>`
}

/** The catalogue page's main content. */
export function renderCatalogue(i18n: I18n, locale: Locale, query: CatalogueQuery, result: CataloguePage): SafeHtml {
  const t: T = (key, values) => i18n.t(locale, key, values)
  const count = query.q
    ? t('learning.catalogue.countFor', { count: result.total, query: query.q })
    : t('learning.catalogue.count', { count: result.total })
  return html`<section class="catalogue" aria-labelledby="catalogue-title">
<header class="catalogue-head">
<p class="eyebrow">${t('learning.catalogue.eyebrow')}</p>
<h1 id="catalogue-title">${t('learning.catalogue.title')}</h1>
<p class="section-lead">${t('learning.catalogue.lead')}</p>
</header>
${searchForm(t, query)}
<div class="catalogue-results">
<p class="result-count" id="result-count">${count}</p>
${result.matchedBy === 'typo' && result.total > 0 ? html`<p class="notice notice-info">${t('learning.catalogue.typo')}</p>` : ''}
${
  result.items.length > 0
    ? html`<ul class="course-grid" aria-describedby="result-count">${result.items.map((c) => card(t, i18n, locale, c))}</ul>`
    : emptyState(t, query, result)
}
${pagination(t, query, result)}
</div>
</section>`
}

/**
 * The home page: what Oqu is (a distance-learning school and an education
 * navigator) and its promise (the operator's privacy policy is true in
 * software). Same path in every language; the text follows the request's
 * locale.
 */
import type { HttpApp } from '../../platform/http/http-app'
import type { I18n, MessageValues } from '../../platform/i18n/i18n'
import type { Locale } from '../../platform/context'
import { html, type SafeHtml } from '../../platform/views/html'
import { icon, type IconName } from '../../platform/views/icons'
import type { Views } from '../../platform/views/layout'

export interface HomeDeps {
  views: Views
  i18n: I18n
}

type T = (key: string, values?: MessageValues) => string

function checklist(t: T, prefix: string, keys: readonly string[]): SafeHtml {
  return html`<ul class="checklist">${keys.map((k) => html`<li>${t(`${prefix}.${k}`)}</li>`)}</ul>`
}

function hero(t: T): SafeHtml {
  const points: [IconName, string][] = [
    ['phone', 'phone'],
    ['globe', 'languages'],
    ['code', 'open'],
  ]
  return html`<section class="hero" aria-labelledby="hero-title">
<div class="container hero-inner">
<p class="eyebrow">${t('home.hero.eyebrow')}</p>
<h1 id="hero-title">${t('home.hero.title')}</h1>
<p class="lead">${t('home.hero.lead')}</p>
<p class="actions"><a class="button button-primary" href="#services">${t('home.hero.primary')}</a><a class="button button-ghost" href="#privacy">${t('home.hero.secondary')}</a></p>
<ul class="hero-points">${points.map(([i, k]) => html`<li>${icon(i)}<span>${t(`home.hero.points.${k}`)}</span></li>`)}</ul>
</div>
</section>`
}

function services(t: T): SafeHtml {
  return html`<section id="services" class="section" aria-labelledby="services-title">
<div class="container">
<h2 id="services-title">${t('home.services.title')}</h2>
<p class="section-lead">${t('home.services.lead')}</p>
<div class="cards">
<article class="card" aria-labelledby="school-title">
<span class="card-icon">${icon('cap')}</span>
<h3 id="school-title">${t('home.school.title')}</h3>
<p>${t('home.school.text')}</p>
${checklist(t, 'home.school.items', ['catalogue', 'quizzes', 'certificates', 'verify'])}
</article>
<article class="card" aria-labelledby="navigator-title">
<span class="card-icon card-icon-alt">${icon('compass')}</span>
<h3 id="navigator-title">${t('home.navigator.title')}</h3>
<p>${t('home.navigator.text')}</p>
${checklist(t, 'home.navigator.items', ['diagnostics', 'catalogue', 'nearMe', 'contests'])}
</article>
</div>
</div>
</section>`
}

function privacy(t: T): SafeHtml {
  const facts: [IconName, string][] = [
    ['list', 'what'],
    ['target', 'why'],
    ['clock', 'howLong'],
    ['eye', 'who'],
  ]
  const rights: [IconName, string][] = [
    ['eye', 'see'],
    ['pencil', 'correct'],
    ['lock', 'block'],
    ['trash', 'delete'],
    ['undo', 'withdraw'],
  ]
  return html`<section id="privacy" class="section section-privacy" aria-labelledby="privacy-title">
<div class="container">
<div class="privacy-head">
<span class="card-icon card-icon-light">${icon('shield')}</span>
<div>
<p class="eyebrow">${t('home.privacy.eyebrow')}</p>
<h2 id="privacy-title">${t('home.privacy.title')}</h2>
</div>
</div>
<p class="section-lead">${t('home.privacy.lead')}</p>
<div class="facts">${facts.map(
    ([i, k]) =>
      html`<div class="fact">${icon(i)}<h3>${t(`home.privacy.${k}.title`)}</h3><p>${t(`home.privacy.${k}.text`)}</p></div>`,
  )}</div>
<div class="rights">
<h3>${t('home.rights.title')}</h3>
<ul class="rights-list">${rights.map(([i, k]) => html`<li>${icon(i)}<span>${t(`home.rights.${k}`)}</span></li>`)}</ul>
</div>
</div>
</section>`
}

function operators(t: T): SafeHtml {
  return html`<section class="section section-operators" aria-labelledby="operators-title">
<div class="container operators">
<span class="card-icon">${icon('building')}</span>
<div>
<h2 id="operators-title">${t('home.operators.title')}</h2>
<p>${t('home.operators.text')}</p>
</div>
</div>
</section>`
}

/** The home page's main content for a locale. */
export function renderHome(i18n: I18n, locale: Locale): SafeHtml {
  const t: T = (key, values) => i18n.t(locale, key, values)
  return html`${hero(t)}${services(t)}${privacy(t)}${operators(t)}`
}

export function registerHomePages(app: HttpApp, deps: HomeDeps): void {
  const { views, i18n } = deps
  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    const locale = req.ctx.locale
    reply
      .type('text/html; charset=utf-8')
      .header('content-language', locale)
      // The same URL serves three languages: caches must key on the choice.
      .header('vary', 'Accept-Language, Cookie')
    return views.page(req, { title: i18n.t(locale, 'app.tagline'), width: 'full', main: renderHome(i18n, locale) })
  })
}

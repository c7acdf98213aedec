/** The instructor's pages as HTML: their courses, and one course's learners (names and progress) and quiz results. */
import type { Locale } from '../../platform/context'
import type { I18n } from '../../platform/i18n/i18n'
import { html, type SafeHtml } from '../../platform/views/html'
import { langAttr, type T } from './catalogue.views'
import { formatDate, progressBar } from './learn.views'
import type { QuizResultsView } from './quizzes.service'
import type { CourseLearners, TaughtCourse } from './teach.service'

export const teachUrl = (slug: string) => `/teach/${encodeURIComponent(slug)}`

export function renderTaught(i18n: I18n, locale: Locale, courses: TaughtCourse[]): SafeHtml {
  const t: T = (key, values) => i18n.t(locale, key, values)
  const list =
    courses.length === 0
      ? html`<div class="empty-state"><p>${t('learning.teach.none')}</p></div>`
      : html`<ul class="learn-cards">${courses.map(
          (
            c,
          ) => html`<li class="learn-card"><h2 class="learn-card-title"${langAttr(c.locale, locale)}><a href="${teachUrl(c.slug)}">${c.title}</a></h2>
<p class="learn-card-meta">${t(`learning.teach.status.${c.status}`)} · ${t('learning.teach.learnerCount', { count: c.learners })}</p></li>`,
        )}</ul>`
  return html`<div class="learn-page"><h1>${t('learning.teach.title')}</h1><p>${t('learning.teach.lead')}</p>${list}</div>`
}

export function renderLearners(i18n: I18n, locale: Locale, view: CourseLearners, quizzes: QuizResultsView): SafeHtml {
  const t: T = (key, values) => i18n.t(locale, key, values)
  const rows =
    view.learners.length === 0
      ? html`<p class="empty-note">${t('learning.teach.noLearners')}</p>`
      : html`<div class="table-scroll" role="region" aria-label="${t('learning.teach.progress')}" tabindex="0"><table class="learners-table">
<thead><tr><th scope="col">${t('learning.teach.number')}</th><th scope="col">${t('learning.teach.name')}</th><th scope="col">${t('learning.teach.progress')}</th><th scope="col">${t('learning.teach.enrolled')}</th><th scope="col">${t('learning.teach.completedOn')}</th></tr></thead>
<tbody>${view.learners.map(
          (l) =>
            html`<tr><td>${l.number}</td><td>${l.name ?? t('learning.teach.unnamed', { number: l.number })}</td><td>${progressBar(t, l.progress.percent, t('learning.teach.progressOf', { number: l.number }))}</td><td>${formatDate(locale, l.enrolledAt)}</td><td>${l.completedAt ? formatDate(locale, l.completedAt) : '—'}</td></tr>`,
        )}</tbody></table></div>`
  const pager =
    view.pageCount > 1
      ? html`<nav class="pagination" aria-label="${t('learning.catalogue.pagination.label')}">
${view.page > 1 ? html`<a class="button button-outline" rel="prev" href="${teachUrl(view.course.slug)}?page=${view.page - 1}">${t('learning.catalogue.pagination.prev')}</a>` : ''}
<span class="pagination-status">${t('learning.catalogue.pagination.status', { page: view.page, pages: view.pageCount })}</span>
${view.page < view.pageCount ? html`<a class="button button-outline" rel="next" href="${teachUrl(view.course.slug)}?page=${view.page + 1}">${t('learning.catalogue.pagination.next')}</a>` : ''}
</nav>`
      : ''
  const results =
    quizzes.quizzes.length === 0
      ? html`<p class="empty-note">${t('learning.teach.noQuizzes')}</p>`
      : html`${quizzes.quizzes.map(
          (q, i) => html`<h3>${t('learning.teach.quizN', { number: i + 1 })}: ${q.title}</h3>
<p class="learn-card-meta">${t('learning.teach.quizTotals', { attempts: q.attempts, passed: q.passed, learners: q.learners })}</p>
<div class="table-scroll" role="region" aria-label="${t('learning.teach.quizN', { number: i + 1 })}" tabindex="0"><table class="learners-table"><thead><tr><th scope="col">${t('learning.teach.question')}</th><th scope="col">${t('learning.teach.answers')}</th><th scope="col">${t('learning.teach.rightShare')}</th></tr></thead>
<tbody>${q.questions.map(
            (x) =>
              html`<tr><td>${x.prompt}</td><td>${x.answers}</td><td>${x.answers === 0 ? '—' : t('learning.learn.percent', { percent: Math.round((100 * x.correct) / x.answers) })}</td></tr>`,
          )}</tbody></table></div>`,
        )}`
  return html`<div class="learn-page">
<nav class="breadcrumb" aria-label="${t('learning.page.breadcrumb')}"><ol><li><a href="/teach">${t('learning.teach.title')}</a></li><li><a href="${teachUrl(view.course.slug)}" aria-current="page"${langAttr(view.course.locale, locale)}>${view.course.title}</a></li></ol></nav>
<h1${langAttr(view.course.locale, locale)}>${view.course.title}</h1>
<p class="notice notice-info">${t('learning.teach.needToKnow')}</p>
<section class="learn-section" aria-labelledby="learners-title"><h2 id="learners-title">${t('learning.teach.learners', { count: view.total })}</h2>${rows}${pager}</section>
<section class="learn-section" aria-labelledby="results-title"><h2 id="results-title">${t('learning.teach.results')}</h2>${results}</section>
</div>`
}

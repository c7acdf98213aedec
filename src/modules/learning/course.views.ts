/**
 * A course page's HTML: what the course is (summary, facts, price), its
 * programme (modules and lessons in order) and instructors, and the one
 * honest next step — sign in to enrol in a free course, or a plain statement
 * that a paid course cannot be bought yet.
 */
import type { Locale } from '../../platform/context'
import type { I18n } from '../../platform/i18n/i18n'
import { html, type SafeHtml } from '../../platform/views/html'
import { icon } from '../../platform/views/icons'
import { courseUrl, priceLabel } from './catalogue.presenter'
import type { CourseDetail } from './catalogue.service'
import { courseFacts, demoBadge, langAttr, type T } from './catalogue.views'
import type { LessonKind } from './learning.tables'
import { mediaUrl } from './authoring.media'
import { enrolAction } from './learn.views'

/** What the page knows about the reader. */
export interface Reader {
  signedIn: boolean
  /** The sign-in link that comes back to this page. */
  signInUrl: string
  /** The reader's enrolment in this course (signed-in readers); its "continue" link. */
  enrolment?: { status: 'active' | 'completed'; continueUrl: string; percent: number } | null
  /** The CSRF token for the enrol form (signed-in readers). */
  csrf?: string
}

const KIND_ICONS: Record<LessonKind, 'list' | 'eye' | 'target'> = { text: 'list', video: 'eye', quiz: 'target' }

function breadcrumb(t: T, course: CourseDetail, lang: SafeHtml): SafeHtml {
  return html`<nav class="breadcrumb" aria-label="${t('learning.page.breadcrumb')}"><ol>
<li><a href="/courses">${t('learning.catalogue.title')}</a></li>
<li><a href="${courseUrl(course.slug)}" aria-current="page"${lang}>${course.title}</a></li>
</ol></nav>`
}

function notices(t: T, course: CourseDetail, locale: Locale): SafeHtml {
  const items: SafeHtml[] = []
  if (course.status === 'draft') items.push(html`<p class="notice notice-warning">${t('learning.page.draft')}</p>`)
  if (course.status === 'archived')
    items.push(html`<p class="notice notice-warning">${t('learning.page.archived')}</p>`)
  if (course.locale !== locale) items.push(html`<p class="notice notice-info">${t('learning.page.otherLanguage')}</p>`)
  if (course.demo) items.push(html`<p class="notice notice-demo">${t('learning.course.demoNote')}</p>`)
  return html`${items}`
}

/** The enrolment box: free → sign in, enrol, or continue; paid → not yet purchasable. */
function enrolBox(t: T, i18n: I18n, locale: Locale, course: CourseDetail, reader: Reader): SafeHtml {
  const price = html`<p class="enrol-price${course.priceKzt === null ? ' course-price-free' : ''}"><span class="enrol-price-label">${t('learning.course.price')}</span> ${priceLabel(i18n, locale, course.priceKzt)}</p>`
  if (course.status !== 'published')
    return html`<aside class="enrol-box" aria-label="${t('learning.course.price')}">${price}</aside>`
  if (course.priceKzt !== null) {
    return html`<aside class="enrol-box" aria-labelledby="enrol-title">${price}
<h2 class="enrol-title" id="enrol-title">${t('learning.page.notPurchasableTitle')}</h2>
<p class="enrol-note">${t('learning.page.notPurchasable')}</p>
</aside>`
  }
  const enrolled = reader.enrolment
  const action = enrolled
    ? html`<p class="enrol-note">${enrolled.status === 'completed' ? t('learning.page.completed') : t('learning.page.enrolled', { percent: enrolled.percent })}</p>
<a class="button button-primary button-block" href="${enrolled.continueUrl}">${t('learning.learn.continue')}</a>`
    : reader.signedIn && reader.csrf
      ? html`${enrolAction(t, course.slug, reader.csrf)}<p class="enrol-note">${t('learning.page.enrolNote')}</p>`
      : reader.signedIn
        ? html`<button class="button button-primary button-block" type="button" disabled aria-describedby="enrol-note">${t('learning.page.enrol')}</button>
<p class="enrol-note" id="enrol-note">${t('learning.page.enrolSoon')}</p>`
        : html`<a class="button button-primary button-block" href="${reader.signInUrl}">${t('learning.page.signInToEnrol')}</a>
<p class="enrol-note">${t('learning.page.freeNote')}</p>`
  return html`<aside class="enrol-box" aria-label="${t('learning.page.enrol')}">${price}${action}</aside>`
}

function lessonItem(t: T, lesson: CourseDetail['modules'][number]['lessons'][number], lang: SafeHtml): SafeHtml {
  const meta = [t(`learning.course.kinds.${lesson.kind}`)]
  if (lesson.durationMinutes) meta.push(t('learning.course.minutes', { minutes: lesson.durationMinutes }))
  if (!lesson.required) meta.push(t('learning.course.optional'))
  return html`<li class="lesson-item">${icon(KIND_ICONS[lesson.kind])}<span class="lesson-title"${lang}>${lesson.title}</span><span class="lesson-meta">${meta.join(' · ')}</span></li>`
}

function programme(t: T, course: CourseDetail, lang: SafeHtml): SafeHtml {
  if (course.modules.length === 0) return html``
  return html`<section class="course-section" aria-labelledby="programme-title">
<h2 id="programme-title">${t('learning.page.programme')}</h2>
<ol class="module-list">${course.modules.map(
    (m, i) => html`<li class="module">
<h3 class="module-title"><span class="module-number">${t('learning.page.module', { number: i + 1 })}</span> <span${lang}>${m.title}</span></h3>
<ol class="lesson-list">${m.lessons.map((l) => lessonItem(t, l, lang))}</ol>
</li>`,
  )}</ol>
</section>`
}

function instructors(t: T, course: CourseDetail): SafeHtml {
  if (course.instructors.length === 0) return html``
  return html`<section class="course-section" aria-labelledby="instructors-title">
<h2 id="instructors-title">${t('learning.page.instructors')}</h2>
<ul class="instructor-list">${course.instructors.map((i) => html`<li>${icon('cap')}<span>${i.displayName}</span></li>`)}</ul>
</section>`
}

/** The course page's main content. */
export function renderCourse(i18n: I18n, locale: Locale, course: CourseDetail, reader: Reader): SafeHtml {
  const t: T = (key, values) => i18n.t(locale, key, values)
  const lang = langAttr(course.locale, locale)
  const lessons = html`<div><dt>${t('learning.course.content')}</dt><dd>${t('learning.course.lessons', { count: course.lessonCount })}</dd></div>`
  return html`<article class="course-page" aria-labelledby="course-title">
${breadcrumb(t, course, lang)}
<header class="course-hero">
<div class="course-hero-text">
<p class="course-card-tags">${demoBadge(t, course.demo)}<span class="course-level">${t(`learning.course.levels.${course.level}`)}</span></p>
<h1 id="course-title"${lang}>${course.title}</h1>
${course.summary ? html`<p class="course-summary"${lang}>${course.summary}</p>` : ''}
${notices(t, course, locale)}
${courseFacts(t, course, [lessons])}
</div>
${enrolBox(t, i18n, locale, course, reader)}
</header>
${course.coverImagePath ? html`<img class="course-cover" src="${mediaUrl(course.coverImagePath)}" alt="" width="1200" height="675">` : ''}
${programme(t, course, lang)}
${instructors(t, course)}
<p class="course-back"><a href="/courses">← ${t('learning.page.back')}</a></p>
</article>`
}

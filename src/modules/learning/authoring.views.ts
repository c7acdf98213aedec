/**
 * The authoring pages' HTML: "my courses", the course form, the course
 * editor (publication, programme with keyboard and drag ordering,
 * instructors, cover), the module and lesson forms with a Markdown preview,
 * and the confirmation pages. Everything works without JavaScript;
 * public/authoring.js only adds drag and drop and in-place moves.
 */
import { LOCALES, type Locale } from '../../platform/context'
import { LANGUAGE_NAMES } from '../../platform/i18n/i18n'
import { html, type SafeHtml } from '../../platform/views/html'
import { icon } from '../../platform/views/icons'
import { renderMarkdown } from '../privacy/index'
import {
  courseTitle,
  lessonTitle,
  moduleTitle,
  moved,
  problemMessage,
  problemsByField,
  publishProblemMessage,
  type CourseForm,
  type LessonForm,
  type ModuleForm,
} from './authoring.presenter'
import { attachmentUrl, type AttachmentRow } from './authoring.media'
import type { AuthoredPage, EditableCourse, EditableLesson, EditableModule } from './authoring.service'
import { courseUrl } from './catalogue.presenter'
import type { T } from './catalogue.views'
import type { Problem } from './learning.errors'
import { COURSE_LEVELS, LESSON_KINDS, type CourseStatus } from './learning.tables'

/** What every authoring view needs: texts in the author's language, and the form token. */
export interface ViewKit {
  t: T
  has: (key: string) => boolean
  locale: Locale
  csrf: string
}

export const TEACH_HOME = '/teach/courses'
export const editorUrl = (courseId: string) => `${TEACH_HOME}/${courseId}`

const attr = (name: string, value: string | number | undefined | null) =>
  value === undefined || value === null ? '' : html` ${name}="${String(value)}"`

const langOf = (l: Locale, page: Locale) => (l === page ? html`` : html` lang="${l}"`)

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`
}

export interface FieldSpec {
  id: string
  name: string
  label: string
  value: string
  hint?: string
  error?: string
  required?: boolean
  maxlength?: number
  lang?: Locale
  type?: 'text' | 'url'
  inputmode?: 'numeric' | 'url'
  verbatim?: boolean
  multiline?: number
  /** No "(optional)" after the label (the hint explains when the field is needed). */
  unmarked?: boolean
}

/** A labelled input or textarea with its hint and error tied to it. */
export function field(k: ViewKit, f: FieldSpec): SafeHtml {
  const hintId = f.hint ? `${f.id}-hint` : undefined
  const errorId = f.error ? `${f.id}-error` : undefined
  const described = [hintId, errorId].filter(Boolean).join(' ')
  const common = html` class="input" id="${f.id}" name="${f.name}"${attr('maxlength', f.maxlength)}${described ? attr('aria-describedby', described) : ''}${f.error ? html` aria-invalid="true"` : ''}${f.required ? html` required` : ''}${f.lang ? html` lang="${f.lang}"` : ''}${f.verbatim ? html` spellcheck="false" autocapitalize="none" autocomplete="off"` : ''}`
  const control = f.multiline
    ? html`<textarea${common} rows="${f.multiline}">${f.value}</textarea>`
    : html`<input${common} type="${f.type ?? 'text'}" value="${f.value}"${attr('inputmode', f.inputmode)}>`
  return html`<div class="field${f.error ? ' field-invalid' : ''}">
<label class="field-label" for="${f.id}">${f.label}${f.required || f.unmarked ? '' : html` <span class="field-optional">(${k.t('learning.authoring.optional')})</span>`}</label>
${f.hint ? html`<p class="field-hint" id="${hintId}">${f.hint}</p>` : ''}
${f.error ? html`<p class="field-error" id="${errorId}"><span class="visually-hidden">! </span>${f.error}</p>` : ''}
${control}
</div>`
}

/** The list of problems at the top of a refused form, each linking to its field. */
export function errorSummary(k: ViewKit, items: { text: string; href: string }[]): SafeHtml {
  if (items.length === 0) return html``
  return html`<div class="form-error" id="form-error" role="alert" tabindex="-1">
<p class="form-error-title">${k.t('learning.authoring.form.errorTitle')}</p>
<ul>${items.map((i) => html`<li><a href="${i.href}">${i.text}</a></li>`)}</ul>
</div>`
}

function statusBadge(k: ViewKit, status: CourseStatus): SafeHtml {
  return html`<span class="status-badge status-${status}">${k.t(`learning.authoring.status.${status}`)}</span>`
}

function languagesText(languages: readonly Locale[]): SafeHtml {
  return html`${languages.map((l, i) => html`${i > 0 ? ', ' : ''}<span lang="${l}">${LANGUAGE_NAMES[l]}</span>`)}`
}

export function notice(k: ViewKit, done: string | undefined): SafeHtml {
  const key = done ? `learning.authoring.done.${done}` : undefined
  if (!key || !k.has(key)) return html``
  return html`<p class="notice notice-success" role="status">${k.t(key)}</p>`
}

export function breadcrumb(k: ViewKit, trail: { href: string; label: string; lang?: Locale }[]): SafeHtml {
  return html`<nav class="breadcrumb" aria-label="${k.t('learning.page.breadcrumb')}"><ol>
<li><a href="${TEACH_HOME}">${k.t('learning.authoring.list.title')}</a></li>
${trail.map((c, i) => html`<li><a href="${c.href}"${i === trail.length - 1 ? html` aria-current="page"` : ''}${c.lang ? html` lang="${c.lang}"` : ''}>${c.label}</a></li>`)}
</ol></nav>`
}

// ——— My courses ———

/** `/teach/courses`: the author's courses with their state, newest change first. */
export function renderCourseList(k: ViewKit, page: AuthoredPage, admin: boolean): SafeHtml {
  const { t } = k
  const dates = new Intl.DateTimeFormat(k.locale, { dateStyle: 'medium' })
  const items = page.items.map(
    (c) => html`<li class="authoring-item">
<h2 class="authoring-item-title"><a href="${editorUrl(c.id)}"${langOf(c.locale, k.locale)}>${c.title}</a></h2>
<p class="authoring-item-tags">${statusBadge(k, c.status)}${c.demo ? html` <span class="badge badge-demo">${t('learning.course.demo')}</span>` : ''}</p>
<dl class="course-facts course-facts-compact">
<div><dt>${t('learning.course.language')}</dt><dd>${languagesText(c.languages)}</dd></div>
<div><dt>${t('learning.authoring.list.updated')}</dt><dd>${dates.format(c.updatedAt)}</dd></div>
</dl>
</li>`,
  )
  const pager =
    page.pageCount > 1 && page.page <= page.pageCount
      ? html`<nav class="pagination" aria-label="${t('learning.catalogue.pagination.label')}">
${page.page > 1 ? html`<a class="button button-secondary" rel="prev" href="${TEACH_HOME}?page=${page.page - 1}">← ${t('learning.catalogue.pagination.prev')}</a>` : html`<span></span>`}
<p class="pagination-status" aria-current="page">${t('learning.catalogue.pagination.status', { page: page.page, pages: page.pageCount })}</p>
${page.page < page.pageCount ? html`<a class="button button-secondary" rel="next" href="${TEACH_HOME}?page=${page.page + 1}">${t('learning.catalogue.pagination.next')} →</a>` : html`<span></span>`}
</nav>`
      : html``
  const empty =
    page.total === 0
      ? html`<div class="empty-state"><h2>${t('learning.authoring.list.emptyTitle')}</h2><p>${t('learning.authoring.list.emptyText')}</p></div>`
      : page.items.length === 0
        ? html`<div class="empty-state"><h2>${t('learning.catalogue.empty.beyond')}</h2><p><a href="${TEACH_HOME}">${t('learning.authoring.list.first')}</a></p></div>`
        : html``
  return html`<section class="authoring" aria-labelledby="teach-title">
<header class="authoring-head">
<div>
<p class="eyebrow">${t('learning.authoring.eyebrow')}</p>
<h1 id="teach-title">${t(admin ? 'learning.authoring.list.titleAdmin' : 'learning.authoring.list.title')}</h1>
<p class="section-lead">${t(admin ? 'learning.authoring.list.leadAdmin' : 'learning.authoring.list.lead')}</p>
</div>
<p><a class="button button-primary" href="${TEACH_HOME}/new">${icon('pencil')} ${t('learning.authoring.list.new')}</a></p>
</header>
${page.total > 0 ? html`<p class="result-count" id="authoring-count">${t('learning.authoring.list.count', { count: page.total })}</p>` : ''}
${page.items.length > 0 ? html`<ul class="authoring-list" aria-describedby="authoring-count">${items}</ul>` : empty}
${pager}
</section>`
}

// ——— Course form ———

export interface CourseFormView {
  form: CourseForm
  problems: readonly Problem[]
  /** Editing an existing course (else: a new one). */
  course?: EditableCourse
}

/** The course form: languages, texts per language, level, hours, price, address. */
export function renderCourseForm(k: ViewKit, view: CourseFormView): SafeHtml {
  const { t, locale } = k
  const { form, course } = view
  const byField = problemsByField(view.problems)
  const err = (name: string) => {
    const p = byField.get(name)
    return p ? problemMessage(t, k.has, p) : undefined
  }
  const slugFrozen = course?.publishedAt != null
  // Declared languages first in their order, then the others.
  const order = [...form.languages, ...LOCALES.filter((l) => !form.languages.includes(l))]
  const summary = errorSummary(
    k,
    [...byField.entries()].map(([name, p]) => ({
      text: `${fieldLabel(k, name)}: ${problemMessage(t, k.has, p)}`,
      href: `#${fieldId(name)}`,
    })),
  )
  const languages = html`<fieldset class="field choices${err('languages') ? ' field-invalid' : ''}" id="languages"${err('languages') ? html` aria-describedby="languages-error"` : ''}>
<legend class="field-label">${t('learning.authoring.course.languages')}</legend>
<p class="field-hint">${t('learning.authoring.course.languagesHint')}</p>
${err('languages') ? html`<p class="field-error" id="languages-error">${err('languages')}</p>` : ''}
${order.map(
  (l) =>
    html`<label class="choice"><input type="checkbox" name="languages" value="${l}" id="${l === order[0] ? 'languages-first' : `languages-${l}`}"${form.languages.includes(l) ? html` checked` : ''}> <span lang="${l}">${LANGUAGE_NAMES[l]}</span></label>`,
)}
</fieldset>`
  const texts = order.map(
    (l) => html`<fieldset class="lang-texts" lang="${l}">
<legend>${LANGUAGE_NAMES[l]}</legend>
<div lang="${locale}"><p class="field-hint">${t('learning.authoring.course.textsHint')}</p></div>
${field(k, { id: `title_${l}`, name: `title_${l}`, label: t('learning.authoring.course.title'), value: form.texts[l].title, error: err(`title_${l}`), maxlength: 200, lang: l, required: form.languages.includes(l), unmarked: true })}
${field(k, { id: `summary_${l}`, name: `summary_${l}`, label: t('learning.authoring.course.summary'), value: form.texts[l].summary, error: err(`summary_${l}`), maxlength: 2000, lang: l, multiline: 4 })}
</fieldset>`,
  )
  const level = html`<div class="field"><label class="field-label" for="level">${t('learning.course.level')}</label>
<select class="input" id="level" name="level">${COURSE_LEVELS.map((l) => html`<option value="${l}"${form.level === l ? html` selected` : ''}>${t(`learning.course.levels.${l}`)}</option>`)}</select></div>`
  const price = html`<fieldset class="field choices${err('priceKzt') ? ' field-invalid' : ''}">
<legend class="field-label">${t('learning.course.price')}</legend>
<label class="choice"><input type="radio" name="price" value="free"${form.price === 'free' ? html` checked` : ''}> ${t('learning.course.free')}</label>
<label class="choice"><input type="radio" name="price" value="paid" id="price-paid"${form.price === 'paid' ? html` checked` : ''}> ${t('learning.authoring.course.paid')}</label>
${field(k, { id: 'priceKzt', name: 'priceKzt', label: t('learning.authoring.course.priceKzt'), hint: t('learning.authoring.course.priceHint'), value: form.priceKzt, error: err('priceKzt'), maxlength: 12, inputmode: 'numeric' })}
</fieldset>`
  const slug = slugFrozen
    ? html`<div class="field"><p class="field-label">${t('learning.authoring.course.slug')}</p><p class="field-hint" id="slug-hint">${t('learning.authoring.course.slugFrozen')}</p><p><code>${courseUrl(form.slug)}</code></p><input type="hidden" name="slug" value="${form.slug}"></div>`
    : field(k, {
        id: 'slug',
        name: 'slug',
        label: t('learning.authoring.course.slug'),
        hint: t('learning.authoring.course.slugHint'),
        value: form.slug,
        error: err('slug'),
        maxlength: 80,
        required: true,
        verbatim: true,
      })
  const action = course ? `${editorUrl(course.id)}/details` : TEACH_HOME
  const title = course ? courseTitle(course, locale) : ''
  const heading = course ? t('learning.authoring.course.editTitle') : t('learning.authoring.course.newTitle')
  return html`<section class="authoring authoring-form" aria-labelledby="form-title">
${breadcrumb(
  k,
  course
    ? [
        { href: editorUrl(course.id), label: title },
        { href: action, label: heading },
      ]
    : [{ href: `${TEACH_HOME}/new`, label: heading }],
)}
<h1 id="form-title">${heading}</h1>
${summary}
<form class="card-form" method="post" action="${action}" novalidate>
${csrfField(k.csrf)}
${languages}
${texts}
<div class="form-grid">
${level}
${field(k, { id: 'durationHours', name: 'durationHours', label: t('learning.authoring.course.hours'), hint: t('learning.authoring.course.hoursHint'), value: form.durationHours, error: err('durationHours'), maxlength: 5, inputmode: 'numeric', required: true })}
</div>
${price}
${slug}
<div class="form-actions">
<button class="button button-primary" type="submit">${course ? t('learning.authoring.form.save') : t('learning.authoring.course.create')}</button>
<a class="button button-ghost" href="${course ? editorUrl(course.id) : TEACH_HOME}">${t('learning.authoring.form.cancel')}</a>
</div>
</form>
</section>`
}

/** The id of the input a field name belongs to (languages: its first checkbox). */
function fieldId(name: string): string {
  return name === 'languages' ? 'languages-first' : name
}

function fieldLabel(k: ViewKit, name: string): string {
  const m = /^(title|summary|body)_(kk|ru|en)$/.exec(name)
  if (m) return `${k.t(`learning.authoring.fields.${m[1]}`)} (${LANGUAGE_NAMES[m[2] as Locale]})`
  const key = `learning.authoring.fields.${name}`
  return k.has(key) ? k.t(key) : name
}

// ——— The editor ———

export interface EditorView {
  course: EditableCourse
  done?: string
  /** The module or lesson just moved (its new place is announced). */
  moved?: string
  /** Shown after a refused publication: the same list as the checklist, announced. */
  publishRefused?: boolean
  /** A refused "add module" form, kept with its problems. */
  moduleForm?: { form: ModuleForm; problems: readonly Problem[] }
  coverUrl?: string
  attachments?: readonly AttachmentRow[]
}

export function moveButtons(
  k: ViewKit,
  action: string,
  ids: readonly string[],
  index: number,
  name: string,
  anchorPrefix: string,
): SafeHtml {
  const { t } = k
  const button = (step: -1 | 1) => {
    const order = moved(ids, index, step)
    const label = t(step < 0 ? 'learning.authoring.move.up' : 'learning.authoring.move.down', { title: name })
    return html`<form class="inline-form" method="post" action="${action}" data-move="${step < 0 ? 'up' : 'down'}">
${csrfField(k.csrf)}<input type="hidden" name="order" value="${(order ?? ids).join(',')}"><input type="hidden" name="moved" value="${ids[index]}"><input type="hidden" name="anchor" value="${anchorPrefix}${ids[index]}">
<button class="button button-ghost button-icon" type="submit"${order ? '' : html` disabled`}><span aria-hidden="true">${step < 0 ? '↑' : '↓'}</span><span class="visually-hidden">${label}</span></button>
</form>`
  }
  return html`<div class="move-buttons">${button(-1)}${button(1)}</div>`
}

function lessonRow(
  k: ViewKit,
  course: EditableCourse,
  module: EditableModule,
  lesson: EditableLesson,
  index: number,
  files: number,
): SafeHtml {
  const { t, locale } = k
  const title = lessonTitle(lesson, course.languages, locale)
  const ids = module.lessons.map((l) => l.id)
  const meta = [t(`learning.course.kinds.${lesson.kind}`)]
  if (lesson.durationMinutes) meta.push(t('learning.course.minutes', { minutes: lesson.durationMinutes }))
  if (!lesson.required) meta.push(t('learning.course.optional'))
  if (files > 0) meta.push(t('learning.authoring.attachments.count', { count: files }))
  const missing = course.languages.filter((l) => !lesson.texts[l]?.title)
  const order = `${editorUrl(course.id)}/modules/${module.id}/lessons/order`
  return html`<li class="outline-item outline-lesson" id="lesson-${lesson.id}" data-id="${lesson.id}" data-title="${title}">
<span class="drag-handle" aria-hidden="true" hidden>⠿</span>
<div class="outline-text">
<span class="outline-title">${title}</span>
<span class="lesson-meta">${meta.join(' · ')}${missing.length ? html` · <span class="warning-text">${t('learning.authoring.outline.missing', { languages: missing.map((l) => LANGUAGE_NAMES[l]).join(', ') })}</span>` : ''}</span>
</div>
<div class="outline-actions">
${moveButtons(k, order, ids, index, title, 'lesson-')}
<a class="button button-ghost button-small" href="${editorUrl(course.id)}/lessons/${lesson.id}">${t('learning.authoring.outline.edit')}<span class="visually-hidden">: ${title}</span></a>
${lesson.kind === 'quiz' ? html`<a class="button button-ghost button-small" href="${editorUrl(course.id)}/lessons/${lesson.id}/quiz">${t('learning.quizAuthoring.title')}<span class="visually-hidden">: ${title}</span></a>` : ''}
${course.status === 'draft' ? html`<a class="button button-ghost button-small" href="${editorUrl(course.id)}/lessons/${lesson.id}/delete">${t('learning.authoring.outline.delete')}<span class="visually-hidden">: ${title}</span></a>` : ''}
</div>
</li>`
}

function moduleBlock(
  k: ViewKit,
  course: EditableCourse,
  module: EditableModule,
  index: number,
  attachments: readonly AttachmentRow[],
): SafeHtml {
  const { t, locale } = k
  const title = moduleTitle(module, course.languages, locale)
  const ids = course.modules.map((m) => m.id)
  const missing = course.languages.filter((l) => !module.titles[l])
  return html`<li class="outline-module" id="module-${module.id}" data-id="${module.id}" data-title="${title}">
<div class="outline-module-head">
<span class="drag-handle" aria-hidden="true" hidden>⠿</span>
<h3 class="outline-module-title" id="module-title-${module.id}">${title}</h3>
<div class="outline-actions">
${moveButtons(k, `${editorUrl(course.id)}/modules/order`, ids, index, title, 'module-')}
<a class="button button-ghost button-small" href="${editorUrl(course.id)}/modules/${module.id}">${t('learning.authoring.outline.edit')}<span class="visually-hidden">: ${title}</span></a>
${course.status === 'draft' ? html`<a class="button button-ghost button-small" href="${editorUrl(course.id)}/modules/${module.id}/delete">${t('learning.authoring.outline.delete')}<span class="visually-hidden">: ${title}</span></a>` : ''}
</div>
</div>
${missing.length ? html`<p class="warning-text">${t('learning.authoring.outline.missing', { languages: missing.map((l) => LANGUAGE_NAMES[l]).join(', ') })}</p>` : ''}
${
  module.lessons.length
    ? html`<ol class="outline-lessons" data-reorder="${editorUrl(course.id)}/modules/${module.id}/lessons/order" aria-labelledby="module-title-${module.id}">${module.lessons.map((l, i) => lessonRow(k, course, module, l, i, attachments.filter((a) => a.lessonId === l.id).length))}</ol>`
    : html`<p class="muted">${t('learning.authoring.outline.noLessons')}</p>`
}
<p><a class="button button-secondary button-small" href="${editorUrl(course.id)}/modules/${module.id}/lessons/new">+ ${t('learning.authoring.outline.addLesson')}<span class="visually-hidden">: ${title}</span></a></p>
</li>`
}

function publication(k: ViewKit, view: EditorView): SafeHtml {
  const { t, locale } = k
  const { course } = view
  const base = editorUrl(course.id)
  const button = (path: string, label: string, variant = 'primary') =>
    html`<form class="inline-form" method="post" action="${base}/${path}">${csrfField(k.csrf)}<button class="button button-${variant}" type="submit">${label}</button></form>`
  const problems = course.problems.map((p) => publishProblemMessage(t, course, locale, p))
  let body: SafeHtml
  if (course.status === 'draft') {
    body =
      problems.length === 0
        ? html`<p>${t('learning.authoring.publish.ready')}</p><div class="form-actions">${button('publish', t('learning.authoring.publish.publish'))}</div>`
        : html`<div class="${view.publishRefused ? 'form-error' : 'publish-checklist'}"${view.publishRefused ? html` role="alert" tabindex="-1" id="form-error"` : ''}>
<p class="form-error-title">${t(view.publishRefused ? 'learning.authoring.publish.refused' : 'learning.authoring.publish.before')}</p>
<ul>${problems.map((p) => html`<li><a href="${p.anchor}">${p.text}</a></li>`)}</ul>
</div>
<div class="form-actions">${button('publish', t('learning.authoring.publish.publish'), 'secondary')}</div>`
  } else if (course.status === 'published') {
    body = html`<p>${t('learning.authoring.publish.isPublished')}</p><div class="form-actions"><a class="button button-danger" href="${base}/archive">${t('learning.authoring.publish.archive')}</a></div>`
  } else {
    body = html`<p>${t('learning.authoring.publish.isArchived')}</p><div class="form-actions">${button('publish', t('learning.authoring.publish.republish'), 'secondary')}</div>`
  }
  return html`<section class="authoring-section" aria-labelledby="publication-title" id="publication">
<h2 id="publication-title">${t('learning.authoring.publish.title')} ${statusBadge(k, course.status)}</h2>
${body}
</section>`
}

function addModuleForm(k: ViewKit, view: EditorView): SafeHtml {
  const { t } = k
  const { course } = view
  const form = view.moduleForm?.form
  const byField = problemsByField(view.moduleForm?.problems ?? [])
  return html`<form class="card-form add-module" method="post" action="${editorUrl(course.id)}/modules" id="add-module" novalidate>
<h3>${t('learning.authoring.outline.addModule')}</h3>
${csrfField(k.csrf)}
${course.languages.map((l) => {
  const p = byField.get(`title_${l}`)
  return field(k, {
    id: `module-title_${l}`,
    name: `title_${l}`,
    label: t('learning.authoring.module.titleIn', { language: LANGUAGE_NAMES[l] }),
    value: form?.titles[l] ?? '',
    error: p ? problemMessage(t, k.has, p) : undefined,
    maxlength: 200,
    lang: l,
    required: true,
  })
})}
<div class="form-actions"><button class="button button-secondary" type="submit">+ ${t('learning.authoring.outline.addModule')}</button></div>
</form>`
}

/** `/teach/courses/:id`: the course's state, programme and people, each part with its actions. */
export function renderEditor(k: ViewKit, view: EditorView): SafeHtml {
  const { t, locale } = k
  const { course } = view
  const title = courseTitle(course, locale)
  const base = editorUrl(course.id)
  const movedItem = view.moved
    ? course.modules
        .flatMap((m, i) => [
          { id: m.id, title: moduleTitle(m, course.languages, locale), position: i + 1, count: course.modules.length },
          ...m.lessons.map((l, j) => ({
            id: l.id,
            title: lessonTitle(l, course.languages, locale),
            position: j + 1,
            count: m.lessons.length,
          })),
        ])
        .find((x) => x.id === view.moved)
    : undefined
  const announce = t('learning.authoring.move.announce', { title: '{title}', position: '{position}', count: '{count}' })
  const instructors = html`<section class="authoring-section" aria-labelledby="instructors-title" id="instructors">
<h2 id="instructors-title">${t('learning.page.instructors')}</h2>
${course.instructors.length ? html`<ul class="instructor-list">${course.instructors.map((i) => html`<li>${icon('cap')}<span>${i.displayName}</span>${i.userId ? html` <span class="badge">${t('learning.authoring.instructors.linked')}</span>` : ''}</li>`)}</ul>` : html`<p class="muted">${t('learning.authoring.instructors.none')}</p>`}
<p><a class="button button-secondary button-small" href="${base}/instructors">${t('learning.authoring.instructors.edit')}</a></p>
</section>`
  const cover = html`<section class="authoring-section" aria-labelledby="cover-title" id="cover">
<h2 id="cover-title">${t('learning.authoring.cover.title')}</h2>
${view.coverUrl ? html`<img class="cover-preview" src="${view.coverUrl}" alt="${t('learning.authoring.cover.alt')}" width="600" height="338">` : html`<p class="muted">${t('learning.authoring.cover.none')}</p>`}
<p><a class="button button-secondary button-small" href="${base}/cover">${t(view.coverUrl ? 'learning.authoring.cover.change' : 'learning.authoring.cover.add')}</a></p>
</section>`
  return html`<article class="authoring authoring-editor" aria-labelledby="editor-title" data-announce="${announce}" data-move-error="${t('learning.authoring.move.failed')}">
${breadcrumb(k, [{ href: base, label: title }])}
<header class="authoring-head">
<div>
<p class="eyebrow">${t('learning.authoring.editor.eyebrow')}</p>
<h1 id="editor-title">${title}</h1>
<dl class="course-facts course-facts-compact">
<div><dt>${t('learning.course.language')}</dt><dd>${languagesText(course.languages)}</dd></div>
<div><dt>${t('learning.course.level')}</dt><dd>${t(`learning.course.levels.${course.level}`)}</dd></div>
<div><dt>${t('learning.course.duration')}</dt><dd>${t('learning.course.hours', { hours: course.durationHours })}</dd></div>
</dl>
</div>
<p class="authoring-head-actions"><a class="button button-secondary" href="${base}/details">${icon('pencil')} ${t('learning.authoring.editor.details')}</a> <a class="button button-ghost" href="${courseUrl(course.slug)}">${icon('eye')} ${t('learning.authoring.editor.view')}</a></p>
</header>
${notice(k, view.done)}
<p class="visually-hidden" role="status" id="reorder-status">${movedItem ? t('learning.authoring.move.announce', { title: movedItem.title, position: movedItem.position, count: movedItem.count }) : ''}</p>
${publication(k, view)}
<section class="authoring-section" aria-labelledby="programme-title" id="programme">
<h2 id="programme-title">${t('learning.page.programme')}</h2>
<p class="field-hint">${t('learning.authoring.outline.hint')}</p>
${course.modules.length ? html`<ol class="outline-modules" data-reorder="${base}/modules/order" aria-labelledby="programme-title">${course.modules.map((m, i) => moduleBlock(k, course, m, i, view.attachments ?? []))}</ol>` : html`<div class="empty-state"><p>${t('learning.authoring.outline.empty')}</p></div>`}
${addModuleForm(k, view)}
</section>
${instructors}
${cover}
</article>`
}

// ——— Module and lesson forms ———

/** The module form (edit). */
export function renderModuleForm(
  k: ViewKit,
  course: EditableCourse,
  module: EditableModule,
  form: ModuleForm,
  problems: readonly Problem[],
): SafeHtml {
  const { t, locale } = k
  const byField = problemsByField(problems)
  const action = `${editorUrl(course.id)}/modules/${module.id}`
  const heading = t('learning.authoring.module.editTitle')
  return html`<section class="authoring authoring-form" aria-labelledby="form-title">
${breadcrumb(k, [
  { href: editorUrl(course.id), label: courseTitle(course, locale) },
  { href: action, label: heading },
])}
<h1 id="form-title">${heading}</h1>
${errorSummary(
  k,
  [...byField.entries()].map(([name, p]) => ({
    text: `${fieldLabel(k, name)}: ${problemMessage(t, k.has, p)}`,
    href: `#${name}`,
  })),
)}
<form class="card-form" method="post" action="${action}" novalidate>
${csrfField(k.csrf)}
${course.languages.map((l) => {
  const p = byField.get(`title_${l}`)
  return field(k, {
    id: `title_${l}`,
    name: `title_${l}`,
    label: t('learning.authoring.module.titleIn', { language: LANGUAGE_NAMES[l] }),
    value: form.titles[l],
    error: p ? problemMessage(t, k.has, p) : undefined,
    maxlength: 200,
    lang: l,
    required: true,
  })
})}
<div class="form-actions">
<button class="button button-primary" type="submit">${t('learning.authoring.form.save')}</button>
<a class="button button-ghost" href="${editorUrl(course.id)}#module-${module.id}">${t('learning.authoring.form.cancel')}</a>
</div>
</form>
</section>`
}

export interface LessonFormView {
  course: EditableCourse
  moduleId: string
  lesson?: EditableLesson
  form: LessonForm
  problems: readonly Problem[]
  /** Show the rendered Markdown of each language. */
  preview?: boolean
  /** The course's files (the lesson's are listed under the form). */
  attachments?: readonly AttachmentRow[]
  /** Why the last upload was refused. */
  attachmentError?: string
  done?: string
}

const SIZE_UNITS = ['byte', 'kilobyte', 'megabyte'] as const

/** "2,4 МБ" as the author's language writes file sizes (ICU unit names). */
export function fileSize(locale: Locale, bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: SIZE_UNITS[unit],
    unitDisplay: 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value)
}

function attachmentsSection(k: ViewKit, view: LessonFormView, lesson: EditableLesson): SafeHtml {
  const { t } = k
  const base = editorUrl(view.course.id)
  const files = (view.attachments ?? []).filter((a) => a.lessonId === lesson.id)
  const error = view.attachmentError
  return html`<section class="authoring-section" aria-labelledby="attachments-title" id="attachments">
<h2 id="attachments-title">${t('learning.authoring.attachments.title')}</h2>
${
  files.length
    ? html`<ul class="attachment-list">${files.map(
        (
          f,
        ) => html`<li class="attachment-item"><a href="${attachmentUrl(f.id)}" download>${f.fileName}</a> <span class="lesson-meta">${fileSize(k.locale, f.byteSize)}</span>
<form class="inline-form" method="post" action="${base}/attachments/${f.id}/delete">${csrfField(k.csrf)}<button class="button button-ghost button-small" type="submit">${t('learning.authoring.outline.delete')}<span class="visually-hidden">: ${f.fileName}</span></button></form></li>`,
      )}</ul>`
    : html`<p class="muted">${t('learning.authoring.attachments.none')}</p>`
}
${error ? html`<div class="form-error" role="alert" tabindex="-1" id="attachment-error"><p>${error}</p></div>` : ''}
<form method="post" action="${base}/lessons/${lesson.id}/attachments" enctype="multipart/form-data">
${csrfField(k.csrf)}
<div class="field${error ? ' field-invalid' : ''}">
<label class="field-label" for="attachment-file">${t('learning.authoring.attachments.file')}</label>
<p class="field-hint" id="attachment-hint">${t('learning.authoring.attachments.hint')}</p>
<input class="input" type="file" id="attachment-file" name="file" required aria-describedby="attachment-hint${error ? ' attachment-error' : ''}" accept=".pdf,.docx,.pptx,.xlsx,.zip,.png,.jpg,.jpeg"${error ? html` aria-invalid="true"` : ''}>
</div>
<div class="form-actions"><button class="button button-secondary" type="submit">${t('learning.authoring.attachments.upload')}</button></div>
</form>
</section>`
}

/** The lesson form: kind, video, flags, and title and body per language, with a preview. */
export function renderLessonForm(k: ViewKit, view: LessonFormView): SafeHtml {
  const { t, locale } = k
  const { course, form, lesson } = view
  const byField = problemsByField(view.problems)
  const err = (name: string) => {
    const p = byField.get(name)
    return p ? problemMessage(t, k.has, p) : undefined
  }
  const base = editorUrl(course.id)
  const action = lesson ? `${base}/lessons/${lesson.id}` : `${base}/modules/${view.moduleId}/lessons`
  const heading = t(lesson ? 'learning.authoring.lesson.editTitle' : 'learning.authoring.lesson.newTitle')
  const kinds = html`<fieldset class="field choices${err('kind') ? ' field-invalid' : ''}" id="kind">
<legend class="field-label">${t('learning.authoring.lesson.kind')}</legend>
${LESSON_KINDS.map((kind) => html`<label class="choice"><input type="radio" name="kind" value="${kind}"${form.kind === kind ? html` checked` : ''}> ${t(`learning.course.kinds.${kind}`)}</label>`)}
<p class="field-hint">${t('learning.authoring.lesson.quizHint')}</p>
</fieldset>`
  const texts = course.languages.map(
    (l) => html`<fieldset class="lang-texts" lang="${l}">
<legend>${LANGUAGE_NAMES[l]}</legend>
${field(k, { id: `title_${l}`, name: `title_${l}`, label: t('learning.authoring.fields.title'), value: form.texts[l].title, error: err(`title_${l}`), maxlength: 200, lang: l, required: true })}
<div lang="${locale}">${field(k, { id: `body_${l}`, name: `body_${l}`, label: t('learning.authoring.fields.body'), hint: t('learning.authoring.lesson.bodyHint'), value: form.texts[l].bodyMarkdown, error: err(`body_${l}`), maxlength: 100_000, lang: l, multiline: 10, required: form.kind === 'text' })}</div>
${
  view.preview
    ? html`<section class="markdown-preview" aria-labelledby="preview-${l}"><h2 class="preview-label" id="preview-${l}" lang="${locale}">${t('learning.authoring.lesson.previewOf', { language: LANGUAGE_NAMES[l] })}</h2><div class="lesson-body">${form.texts[l].bodyMarkdown.trim() ? renderMarkdown(form.texts[l].bodyMarkdown, { headingOffset: 1 }) : html`<p class="muted" lang="${locale}">${t('learning.authoring.lesson.previewEmpty')}</p>`}</div></section>`
    : ''
}
</fieldset>`,
  )
  return html`<section class="authoring authoring-form" aria-labelledby="form-title">
${breadcrumb(k, [
  { href: base, label: courseTitle(course, locale) },
  { href: action, label: heading },
])}
<h1 id="form-title">${heading}</h1>
${lesson?.kind === 'quiz' ? html`<p class="authoring-head-actions"><a class="button button-secondary" href="${base}/lessons/${lesson.id}/quiz">${t('learning.quizAuthoring.title')}</a></p>` : ''}
${notice(k, view.done)}
${view.preview ? html`<p class="notice notice-info" role="status">${t('learning.authoring.lesson.previewNote')}</p>` : ''}
${errorSummary(
  k,
  [...byField.entries()].map(([name, p]) => ({
    text: `${fieldLabel(k, name)}: ${problemMessage(t, k.has, p)}`,
    href: `#${name}`,
  })),
)}
<form class="card-form" method="post" action="${action}" novalidate>
${csrfField(k.csrf)}
${kinds}
${field(k, { id: 'videoUrl', name: 'videoUrl', label: t('learning.authoring.lesson.videoUrl'), hint: t('learning.authoring.lesson.videoHint'), value: form.videoUrl, error: err('videoUrl'), maxlength: 500, type: 'url', inputmode: 'url', verbatim: true })}
<div class="form-grid">
${field(k, { id: 'durationMinutes', name: 'durationMinutes', label: t('learning.authoring.lesson.minutes'), value: form.durationMinutes, error: err('durationMinutes'), maxlength: 3, inputmode: 'numeric' })}
<div class="field"><label class="choice choice-box"><input type="checkbox" name="required" value="yes"${form.required ? html` checked` : ''}> ${t('learning.authoring.lesson.required')}</label><p class="field-hint">${t('learning.authoring.lesson.requiredHint')}</p></div>
</div>
${texts}
<div class="form-actions">
<button class="button button-primary" type="submit" name="action" value="save">${t('learning.authoring.form.save')}</button>
<button class="button button-secondary" type="submit" name="action" value="preview">${t('learning.authoring.lesson.preview')}</button>
<a class="button button-ghost" href="${base}${lesson ? `#lesson-${lesson.id}` : `#module-${view.moduleId}`}">${t('learning.authoring.form.cancel')}</a>
</div>
</form>
${lesson ? attachmentsSection(k, view, lesson) : ''}
</section>`
}

// ——— Confirmations ———

export interface ConfirmView {
  course: EditableCourse
  heading: string
  text: string
  /** Where the confirmation posts. */
  action: string
  button: string
  back: string
}

/** A page that asks once more before an action that cannot be undone here (archive, delete). */
export function renderConfirm(k: ViewKit, view: ConfirmView): SafeHtml {
  return html`<section class="authoring authoring-form narrow" aria-labelledby="confirm-title">
${breadcrumb(k, [
  { href: editorUrl(view.course.id), label: courseTitle(view.course, k.locale) },
  { href: view.action, label: view.heading },
])}
<h1 id="confirm-title">${view.heading}</h1>
<p>${view.text}</p>
<form class="form-actions" method="post" action="${view.action}">
${csrfField(k.csrf)}
<button class="button button-danger" type="submit">${view.button}</button>
<a class="button button-ghost" href="${view.back}">${k.t('learning.authoring.form.cancel')}</a>
</form>
</section>`
}

// ——— Instructors ———

export interface InstructorRowForm {
  name: string
  /** Whether the row keeps its link to an account (only links the course already has, or the author's own). */
  link: string
}

/** Rows of names; a row may stay linked to the account it names (the author may link their own). */
export function renderInstructorsForm(
  k: ViewKit,
  course: EditableCourse,
  rows: readonly InstructorRowForm[],
  problems: readonly Problem[],
  linkable: readonly { value: string; label: string }[],
): SafeHtml {
  const { t, locale } = k
  const byField = problemsByField(problems)
  const action = `${editorUrl(course.id)}/instructors`
  const heading = t('learning.authoring.instructors.edit')
  const errors = [...byField.entries()].map(([name, p]) => ({
    text: `${t('learning.authoring.instructors.name')}: ${problemMessage(t, k.has, p)}`,
    href: `#${name.replace(/^instructors\.(\d+)\.displayName$/, 'instructor-$1')}`,
  }))
  return html`<section class="authoring authoring-form" aria-labelledby="form-title">
${breadcrumb(k, [
  { href: editorUrl(course.id), label: courseTitle(course, locale) },
  { href: action, label: heading },
])}
<h1 id="form-title">${heading}</h1>
<p class="section-lead">${t('learning.authoring.instructors.lead')}</p>
${errorSummary(k, errors)}
<form class="card-form" method="post" action="${action}" novalidate>
${csrfField(k.csrf)}
${rows.map((row, i) => {
  const p = byField.get(`instructors.${i}.displayName`)
  return html`<fieldset class="instructor-row">
<legend>${t('learning.authoring.instructors.row', { number: i + 1 })}</legend>
${field(k, { id: `instructor-${i}`, name: `name_${i}`, label: t('learning.authoring.instructors.name'), value: row.name, error: p ? problemMessage(t, k.has, p) : undefined, maxlength: 120 })}
${
  linkable.length
    ? html`<div class="field"><label class="field-label" for="link-${i}">${t('learning.authoring.instructors.account')}</label>
<select class="input" id="link-${i}" name="link_${i}"><option value="">${t('learning.authoring.instructors.noAccount')}</option>${linkable.map((o) => html`<option value="${o.value}"${row.link === o.value ? html` selected` : ''}>${o.label}</option>`)}</select></div>`
    : ''
}
</fieldset>`
})}
<p class="field-hint">${t('learning.authoring.instructors.emptyRows')}</p>
<div class="form-actions">
<button class="button button-primary" type="submit">${t('learning.authoring.form.save')}</button>
<a class="button button-ghost" href="${editorUrl(course.id)}#instructors">${t('learning.authoring.form.cancel')}</a>
</div>
</form>
</section>`
}

// ——— Cover ———

/** The cover upload form (multipart; works without JavaScript). */
export function renderCoverForm(
  k: ViewKit,
  course: EditableCourse,
  coverUrl: string | undefined,
  error?: string,
): SafeHtml {
  const { t, locale } = k
  const action = `${editorUrl(course.id)}/cover`
  const heading = t('learning.authoring.cover.title')
  return html`<section class="authoring authoring-form" aria-labelledby="form-title">
${breadcrumb(k, [
  { href: editorUrl(course.id), label: courseTitle(course, locale) },
  { href: action, label: heading },
])}
<h1 id="form-title">${heading}</h1>
${coverUrl ? html`<img class="cover-preview" src="${coverUrl}" alt="${t('learning.authoring.cover.alt')}" width="600" height="338">` : ''}
${error ? html`<div class="form-error" id="form-error" role="alert" tabindex="-1"><p class="form-error-title">${t('learning.authoring.form.errorTitle')}</p><p>${error}</p></div>` : ''}
<form class="card-form" method="post" action="${action}" enctype="multipart/form-data">
${csrfField(k.csrf)}
<div class="field${error ? ' field-invalid' : ''}">
<label class="field-label" for="cover-file">${t('learning.authoring.cover.file')}</label>
<p class="field-hint" id="cover-hint">${t('learning.authoring.cover.hint')}</p>
<input class="input" type="file" id="cover-file" name="cover" accept="image/jpeg,image/png,image/webp" aria-describedby="cover-hint" required>
</div>
<div class="form-actions">
<button class="button button-primary" type="submit">${t('learning.authoring.cover.upload')}</button>
<a class="button button-ghost" href="${editorUrl(course.id)}#cover">${t('learning.authoring.form.cancel')}</a>
</div>
</form>
${coverUrl ? html`<form class="form-actions" method="post" action="${action}/remove">${csrfField(k.csrf)}<button class="button button-danger" type="submit">${t('learning.authoring.cover.remove')}</button></form>` : ''}
</section>`
}

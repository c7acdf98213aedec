/**
 * The quiz editor's HTML (issue 5, "Instructors and admins"): the quiz of a
 * quiz lesson — its settings (pass mark, attempts limit, shuffled options)
 * and its questions with move up/down, edit and delete — and the question
 * form with the prompt, explanation and options (or accepted answers) in
 * every language of the course. Plain forms throughout; public/authoring.js
 * only moves questions in place and adds dragging, as in the course editor.
 */
import type { Locale } from '../../platform/context'
import { LANGUAGE_NAMES } from '../../platform/i18n/i18n'
import { html, type SafeHtml } from '../../platform/views/html'
import { lessonTitle, courseTitle } from './authoring.presenter'
import type { EditableCourse, EditableLesson } from './authoring.service'
import {
  breadcrumb,
  csrfField,
  editorUrl,
  errorSummary,
  field,
  moveButtons,
  notice,
  type ViewKit,
} from './authoring.views'
import {
  fieldProblemMessage,
  type FieldProblem,
  type QuestionForm,
  type SettingsForm,
} from './quiz-authoring.presenter'
import type { EditableQuestion, EditableQuiz } from './quiz-authoring.service'

export const quizUrl = (courseId: string, lessonId: string) => `${editorUrl(courseId)}/lessons/${lessonId}/quiz`
export const questionUrl = (courseId: string, lessonId: string, questionId: string) =>
  `${quizUrl(courseId, lessonId)}/questions/${questionId}`

/** A question's prompt in the reader's language, else the first of the course's languages it has. */
function prompt(q: EditableQuestion, languages: readonly Locale[], locale: Locale): { text: string; lang: Locale } {
  for (const l of [locale, ...languages]) if (q.prompt[l]) return { text: q.prompt[l]!, lang: l }
  return { text: '—', lang: locale }
}

const langOf = (l: Locale, page: Locale) => (l === page ? html`` : html` lang="${l}"`)

/** The label of a form field in the summary of problems. */
function fieldLabel(k: ViewKit, p: FieldProblem): string {
  const { t } = k
  if (p.question !== undefined) return t('learning.quizAuthoring.item.number', { number: p.question + 1 })
  let m = /^(prompt|explanation)_(kk|ru|en)$/.exec(p.name)
  if (m) return `${t(`learning.quizAuthoring.form.${m[1]}`)} (${LANGUAGE_NAMES[m[2] as Locale]})`
  m = /^option_(\d+)_(kk|ru|en)$/.exec(p.name)
  if (m)
    return t('learning.quizAuthoring.form.optionIn', {
      number: Number(m[1]) + 1,
      language: LANGUAGE_NAMES[m[2] as Locale],
    })
  const key = `learning.quizAuthoring.fields.${p.name || 'questions'}`
  return k.has(key) ? k.t(key) : t('learning.quizAuthoring.fields.questions')
}

/** The problems of a refused form, each linking to its field (another question's: to its form). */
function summary(k: ViewKit, problems: readonly FieldProblem[], course: EditableCourse, quiz: EditableQuiz): SafeHtml {
  const seen = new Set<string>()
  const items = problems.flatMap((p) => {
    const key = `${p.question ?? ''}:${p.name}:${p.leaf}:${p.problem}`
    if (seen.has(key)) return []
    seen.add(key)
    const other = p.question !== undefined ? quiz.questions[p.question] : undefined
    const href = other ? questionUrl(course.id, quiz.lessonId, other.id) : p.name ? `#${p.name}` : '#questions'
    return [{ text: `${fieldLabel(k, p)}: ${fieldProblemMessage(k.t, k.has, p)}`, href }]
  })
  return errorSummary(k, items)
}

const errorOf = (k: ViewKit, problems: readonly FieldProblem[], name: string) => {
  const p = problems.find((x) => x.name === name && x.question === undefined)
  return p ? fieldProblemMessage(k.t, k.has, p) : undefined
}

function trail(k: ViewKit, course: EditableCourse, lesson: EditableLesson, last?: { href: string; label: string }) {
  const title = lessonTitle(lesson, course.languages, k.locale)
  return breadcrumb(k, [
    { href: editorUrl(course.id), label: courseTitle(course, k.locale) },
    { href: `${editorUrl(course.id)}/lessons/${lesson.id}`, label: title },
    { href: quizUrl(course.id, lesson.id), label: k.t('learning.quizAuthoring.title') },
    ...(last ? [last] : []),
  ])
}

// ——— The quiz ———

export interface QuizEditorView {
  course: EditableCourse
  lesson: EditableLesson
  quiz: EditableQuiz
  settings: SettingsForm
  /** Problems of a refused settings form, or of the quiz (another question, the last one deleted). */
  problems: readonly FieldProblem[]
  done?: string
  /** The question just moved (its new place is announced). */
  moved?: string
}

function settingsSection(k: ViewKit, view: QuizEditorView): SafeHtml {
  const { t } = k
  const { course, quiz, settings, problems } = view
  const body = quiz.saved
    ? html`<form class="card-form" method="post" action="${quizUrl(course.id, quiz.lessonId)}/settings" novalidate>
${csrfField(k.csrf)}
<div class="form-grid">
${field(k, { id: 'passPercent', name: 'passPercent', label: t('learning.quizAuthoring.fields.passPercent'), hint: t('learning.quizAuthoring.settings.passHint'), value: settings.passPercent, error: errorOf(k, problems, 'passPercent'), maxlength: 4, inputmode: 'numeric', required: true })}
${field(k, { id: 'maxAttempts', name: 'maxAttempts', label: t('learning.quizAuthoring.fields.maxAttempts'), hint: t('learning.quizAuthoring.settings.attemptsHint'), value: settings.maxAttempts, error: errorOf(k, problems, 'maxAttempts'), maxlength: 4, inputmode: 'numeric', unmarked: true })}
</div>
<div class="field"><label class="choice choice-box"><input type="checkbox" name="shuffleOptions" value="yes"${settings.shuffleOptions ? html` checked` : ''}> ${t('learning.quizAuthoring.settings.shuffle')}</label><p class="field-hint">${t('learning.quizAuthoring.settings.shuffleHint')}</p></div>
<div class="form-actions"><button class="button button-primary" type="submit">${t('learning.quizAuthoring.settings.save')}</button></div>
</form>`
    : html`<p class="muted">${t('learning.quizAuthoring.settings.first', { percent: quiz.passPercent })}</p>`
  return html`<section class="authoring-section" aria-labelledby="settings-title" id="settings">
<h2 id="settings-title">${t('learning.quizAuthoring.settings.title')}</h2>
${body}
</section>`
}

function questionItem(k: ViewKit, view: QuizEditorView, q: EditableQuestion, index: number): SafeHtml {
  const { t, locale } = k
  const { course, quiz } = view
  const p = prompt(q, course.languages, locale)
  const ids = quiz.questions.map((x) => x.id)
  const missing = course.languages.filter(
    (l) => !q.prompt[l] || (q.kind !== 'short' && q.options.some((o) => !o.label[l])),
  )
  const label = (texts: Partial<Record<Locale, string>>) => {
    for (const l of [locale, ...course.languages])
      if (texts[l]) return html`<span${langOf(l, locale)}>${texts[l]}</span>`
    return html`—`
  }
  const answers =
    q.kind === 'short'
      ? html`<p class="lesson-meta">${t('learning.quizAuthoring.item.accepted')} ${q.acceptedAnswers.join(' / ')}</p>`
      : html`<ul class="quiz-item-options">${q.options.map(
          (o) =>
            html`<li${o.correct ? html` class="option-right"` : ''}>${o.correct ? html`<span aria-hidden="true">✓ </span>` : ''}${label(o.label)}${o.correct ? html` <span class="visually-hidden">(${t('learning.quizAuthoring.item.right')})</span>` : ''}</li>`,
        )}</ul>`
  const url = questionUrl(course.id, quiz.lessonId, q.id)
  return html`<li class="outline-item quiz-item" id="question-${q.id}" data-id="${q.id}" data-title="${p.text}">
<span class="drag-handle" aria-hidden="true" hidden>⠿</span>
<div class="outline-text">
<span class="outline-title"><span class="quiz-item-number"></span><span${langOf(p.lang, locale)}>${p.text}</span></span>
<span class="lesson-meta">${t(`learning.quizAuthoring.kinds.${q.kind}`)}${missing.length ? html` · <span class="warning-text">${t('learning.authoring.outline.missing', { languages: missing.map((l) => LANGUAGE_NAMES[l]).join(', ') })}</span>` : ''}</span>
${answers}
</div>
<div class="outline-actions">
${moveButtons(k, `${quizUrl(course.id, quiz.lessonId)}/questions/order`, ids, index, p.text, 'question-')}
<a class="button button-ghost button-small" href="${url}">${t('learning.authoring.outline.edit')}<span class="visually-hidden">: ${p.text}</span></a>
<a class="button button-ghost button-small" href="${url}/delete">${t('learning.authoring.outline.delete')}<span class="visually-hidden">: ${p.text}</span></a>
</div>
</li>`
}

/** `…/lessons/:lessonId/quiz`: the quiz's settings and questions, each with its actions. */
export function renderQuizEditor(k: ViewKit, view: QuizEditorView): SafeHtml {
  const { t, locale } = k
  const { course, lesson, quiz } = view
  const base = quizUrl(course.id, lesson.id)
  const at = view.moved ? quiz.questions.findIndex((q) => q.id === view.moved) : -1
  const movedText =
    at >= 0
      ? t('learning.authoring.move.announce', {
          title: prompt(quiz.questions[at]!, course.languages, locale).text,
          position: at + 1,
          count: quiz.questions.length,
        })
      : ''
  const announce = t('learning.authoring.move.announce', { title: '{title}', position: '{position}', count: '{count}' })
  const add = (kind: string) =>
    html`<a class="button button-secondary button-small" href="${base}/questions/new?kind=${kind}">+ ${t(`learning.quizAuthoring.add.${kind}`)}</a>`
  return html`<article class="authoring authoring-editor quiz-editor" aria-labelledby="quiz-title" data-announce="${announce}" data-move-error="${t('learning.authoring.move.failed')}">
${trail(k, course, lesson)}
<header class="authoring-head">
<div>
<p class="eyebrow">${t('learning.quizAuthoring.eyebrow')}</p>
<h1 id="quiz-title">${lessonTitle(lesson, course.languages, locale)}</h1>
<p class="section-lead">${t('learning.quizAuthoring.lead')}</p>
</div>
<p class="authoring-head-actions"><a class="button button-ghost" href="${editorUrl(course.id)}/lessons/${lesson.id}">${t('learning.quizAuthoring.lessonDetails')}</a></p>
</header>
${notice(k, view.done)}
<p class="visually-hidden" role="status" id="reorder-status">${movedText}</p>
${summary(k, view.problems, course, quiz)}
${settingsSection(k, view)}
<section class="authoring-section" aria-labelledby="questions-title" id="questions">
<h2 id="questions-title">${t('learning.quizAuthoring.questions.title')}</h2>
${
  quiz.questions.length
    ? html`<p class="field-hint">${t('learning.quizAuthoring.questions.count', { count: quiz.questions.length })} ${t('learning.quizAuthoring.questions.hint')}</p>
<ol class="outline-lessons quiz-item-list" data-reorder="${base}/questions/order" aria-labelledby="questions-title">${quiz.questions.map((q, i) => questionItem(k, view, q, i))}</ol>`
    : html`<div class="empty-state"><p>${t('learning.quizAuthoring.questions.none')}</p></div>`
}
<div class="form-actions quiz-add">${add('single')}${add('multiple')}${add('short')}</div>
</section>
</article>`
}

// ——— A question ———

export interface QuestionFormView {
  course: EditableCourse
  lesson: EditableLesson
  quiz: EditableQuiz
  /** The question being edited (absent: a new one). */
  question?: EditableQuestion
  form: QuestionForm
  problems: readonly FieldProblem[]
}

/** The question form: kind, then prompt and explanation per language, then options or accepted answers. */
export function renderQuestionForm(k: ViewKit, view: QuestionFormView): SafeHtml {
  const { t, locale } = k
  const { course, lesson, quiz, question, form, problems } = view
  const base = quizUrl(course.id, lesson.id)
  const action = question ? questionUrl(course.id, lesson.id, question.id) : `${base}/questions`
  const number = question ? quiz.questions.findIndex((q) => q.id === question.id) + 1 : quiz.questions.length + 1
  const heading = t(question ? 'learning.quizAuthoring.form.editTitle' : 'learning.quizAuthoring.form.newTitle', {
    number,
  })
  const err = (name: string) => errorOf(k, problems, name)
  const kind =
    form.kind === 'short'
      ? html`<input type="hidden" name="kind" value="short"><p class="field-hint">${t('learning.quizAuthoring.form.kind')}: ${t('learning.quizAuthoring.kinds.short')}</p>`
      : html`<fieldset class="field choices" id="kind">
<legend class="field-label">${t('learning.quizAuthoring.form.kind')}</legend>
${(['single', 'multiple'] as const).map((x) => html`<label class="choice"><input type="radio" name="kind" value="${x}"${form.kind === x ? html` checked` : ''}> ${t(`learning.quizAuthoring.kinds.${x}`)}</label>`)}
</fieldset>`
  const texts = course.languages.map(
    (l) => html`<fieldset class="lang-texts" lang="${l}">
<legend>${LANGUAGE_NAMES[l]}</legend>
<div lang="${locale}">
${field(k, { id: `prompt_${l}`, name: `prompt_${l}`, label: t('learning.quizAuthoring.form.prompt'), value: form.prompt[l], error: err(`prompt_${l}`), maxlength: 2000, lang: l, multiline: 2, required: true })}
${field(k, { id: `explanation_${l}`, name: `explanation_${l}`, label: t('learning.quizAuthoring.form.explanation'), hint: t('learning.quizAuthoring.form.explanationHint'), value: form.explanation[l], error: err(`explanation_${l}`), maxlength: 2000, lang: l, multiline: 2 })}
</div>
</fieldset>`,
  )
  const optionsError = err('options')
  const answers =
    form.kind === 'short'
      ? field(k, {
          id: 'accepted',
          name: 'accepted',
          label: t('learning.quizAuthoring.fields.accepted'),
          hint: t('learning.quizAuthoring.form.acceptedHint'),
          value: form.accepted,
          error: err('accepted'),
          multiline: 4,
          required: true,
          verbatim: true,
        })
      : html`<fieldset class="field quiz-options${optionsError ? ' field-invalid' : ''}" id="options" aria-describedby="options-hint${optionsError ? ' options-error' : ''}">
<legend class="field-label">${t('learning.quizAuthoring.fields.options')}</legend>
<p class="field-hint" id="options-hint">${t('learning.quizAuthoring.form.optionsHint')}</p>
${optionsError ? html`<p class="field-error" id="options-error"><span class="visually-hidden">! </span>${optionsError}</p>` : ''}
<input type="hidden" name="rows" value="${form.options.length}">
${form.options.map(
  (o, i) => html`<fieldset class="quiz-option-row">
<legend>${t('learning.quizAuthoring.form.option', { number: i + 1 })}</legend>
${course.languages.map((l) => field(k, { id: `option_${i}_${l}`, name: `option_${i}_${l}`, label: t('learning.quizAuthoring.form.optionIn', { number: i + 1, language: LANGUAGE_NAMES[l] }), value: o.label[l], error: err(`option_${i}_${l}`), maxlength: 2000, lang: l, unmarked: true }))}
<label class="choice"><input type="checkbox" name="correct_${i}" value="yes"${o.correct ? html` checked` : ''}> ${t('learning.quizAuthoring.form.correct', { number: i + 1 })}</label>
</fieldset>`,
)}
</fieldset>`
  return html`<section class="authoring authoring-form" aria-labelledby="form-title">
${trail(k, course, lesson, { href: question ? action : `${base}/questions/new?kind=${form.kind}`, label: heading })}
<h1 id="form-title">${heading}</h1>
${summary(k, problems, course, quiz)}
<form class="card-form" method="post" action="${action}" novalidate>
${csrfField(k.csrf)}
${kind}
${texts}
${answers}
<div class="form-actions">
<button class="button button-primary" type="submit" name="action" value="save">${t(question ? 'learning.quizAuthoring.form.save' : 'learning.quizAuthoring.form.add')}</button>
${form.kind === 'short' ? '' : html`<button class="button button-secondary" type="submit" name="action" value="more">${t('learning.quizAuthoring.form.moreOptions')}</button>`}
<a class="button button-ghost" href="${base}${question ? `#question-${question.id}` : '#questions'}">${t('learning.authoring.form.cancel')}</a>
</div>
</form>
</section>`
}

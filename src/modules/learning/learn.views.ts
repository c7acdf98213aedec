/**
 * The learner's pages as HTML: "My learning" (current courses with progress
 * and "continue", completed history, achievements from the achievements
 * module when it is wired, search history), the lesson player (outline with
 * done marks, sanitized Markdown, allow-listed video embeds, previous/next,
 * "mark as done") and quizzes (start, the attempt form, feedback per question).
 */
import type { Locale } from '../../platform/context'
import type { I18n } from '../../platform/i18n/i18n'
import { html, type SafeHtml } from '../../platform/views/html'
import { icon } from '../../platform/views/icons'
import { renderMarkdown } from '../privacy/index'
import { courseUrl } from './catalogue.presenter'
import { attachmentUrl } from './authoring.media'
import { langAttr, type T } from './catalogue.views'
import type { LearnerAchievementsView } from './learning.achievements'
import type { LessonPage, ListPage, MyLearning, MyLearningEntry } from './learner.service'
import type { AttemptResult, OpenAttempt, QuizSummary } from './quizzes.service'

export const learnUrl = (slug: string) => `/learn/${encodeURIComponent(slug)}`
export const lessonUrl = (slug: string, lessonId: string) => `${learnUrl(slug)}/lessons/${lessonId}`
export const attemptUrl = (slug: string, lessonId: string, attemptId: string) =>
  `${lessonUrl(slug, lessonId)}/attempts/${attemptId}`

const csrfField = (token: string) => html`<input type="hidden" name="_csrf" value="${token}">`

export function formatDate(locale: Locale, date: Date): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'Asia/Almaty' }).format(date)
}
const time = (locale: Locale, date: Date) =>
  html`<time datetime="${date.toISOString()}">${formatDate(locale, date)}</time>`

export function progressBar(t: T, percent: number, label: string): SafeHtml {
  return html`<div class="progress"><progress max="100" value="${percent}" aria-label="${label}">${percent}%</progress><span class="progress-value">${t('learning.learn.percent', { percent })}</span></div>`
}

/**
 * The video of a lesson: an iframe only for allow-listed players (YouTube
 * without cookies, Vimeo — the CSP's frame-src names exactly these), else a link.
 */
export function videoEmbed(
  url: string,
): { kind: 'iframe'; src: string } | { kind: 'link'; href: string } | { kind: 'none' } {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return { kind: 'none' }
  }
  // Only https addresses are stored (a CHECK on lessons.video_url); anything else is not shown at all.
  if (u.protocol !== 'https:') return { kind: 'none' }
  const id = (s: string | null | undefined) => (s && /^[A-Za-z0-9_-]{1,64}$/.test(s) ? s : null)
  const host = u.hostname.toLowerCase()
  let yt: string | null = null
  if (host === 'www.youtube-nocookie.com' || host === 'youtube-nocookie.com')
    yt = id(/^\/embed\/([^/]+)$/.exec(u.pathname)?.[1])
  else if (host === 'www.youtube.com' || host === 'youtube.com' || host === 'm.youtube.com')
    yt = u.pathname === '/watch' ? id(u.searchParams.get('v')) : id(/^\/embed\/([^/]+)$/.exec(u.pathname)?.[1])
  else if (host === 'youtu.be') yt = id(u.pathname.slice(1))
  if (yt) return { kind: 'iframe', src: `https://www.youtube-nocookie.com/embed/${yt}` }
  const vimeo =
    host === 'vimeo.com' || host === 'www.vimeo.com'
      ? /^\/(\d{1,12})$/.exec(u.pathname)?.[1]
      : host === 'player.vimeo.com'
        ? /^\/video\/(\d{1,12})$/.exec(u.pathname)?.[1]
        : undefined
  if (vimeo) return { kind: 'iframe', src: `https://player.vimeo.com/video/${vimeo}` }
  return { kind: 'link', href: u.href }
}

// ---------- My learning ----------

function entryCard(t: T, locale: Locale, e: MyLearningEntry): SafeHtml {
  const lang = langAttr(e.locale, locale)
  const titleId = `enrolment-${e.id}`
  const action =
    e.status === 'active' && e.continueLessonId
      ? html`<a class="button button-primary" href="${lessonUrl(e.slug, e.continueLessonId)}" aria-describedby="${titleId}">${t('learning.learn.continue')}</a>`
      : html`<a class="button button-outline" href="${learnUrl(e.slug)}" aria-describedby="${titleId}">${t('learning.learn.review')}</a>`
  const when =
    e.completedAt !== null
      ? html`<p class="learn-card-meta">${t('learning.learn.completedOn')} ${time(locale, e.completedAt)}</p>`
      : html`<p class="learn-card-meta">${t('learning.learn.enrolledOn')} ${time(locale, e.enrolledAt)}</p>`
  return html`<li class="learn-card">
<h3 class="learn-card-title" id="${titleId}"${lang}><a href="${courseUrl(e.slug)}">${e.title}</a></h3>
${when}
${progressBar(t, e.progress.percent, t('learning.learn.progressOf', { title: e.title }))}
<p class="learn-card-meta">${t('learning.learn.lessonsDone', { done: e.progress.done, total: e.progress.required })}</p>
${action}
</li>`
}

function achievementsSection(t: T, locale: Locale, view: LearnerAchievementsView | null): SafeHtml {
  const badges = view?.badges ?? []
  const certificates = view?.certificates ?? []
  const badgeList =
    badges.length === 0
      ? html`<p class="empty-note">${t('learning.learn.noBadges')}</p>`
      : html`<ul class="badge-list">${badges.map(
          (b) =>
            html`<li>${icon('target')}<div><strong>${b.title}</strong><p>${b.description}</p><p class="learn-card-meta">${time(locale, b.awardedAt)}</p></div></li>`,
        )}</ul>`
  const certList =
    certificates.length === 0
      ? html`<p class="empty-note">${t('learning.learn.noCertificates')}</p>`
      : html`<ul class="certificate-list">${certificates.map(
          (c) => html`<li><div><strong>${c.courseTitle}</strong>
<p class="learn-card-meta">${t('learning.learn.issuedOn')} ${time(locale, c.issuedAt)} · ${t('learning.learn.certificateCode')} <code>${c.code}</code>${c.revoked ? html` · <span class="revoked">${t('learning.learn.revoked')}</span>` : ''}</p>
<p class="learn-actions"><a href="${c.pdfUrl}">${t('learning.learn.downloadPdf')}</a> <a href="${c.verifyUrl}">${t('learning.learn.verify')}</a></p></div></li>`,
        )}</ul>`
  return html`<section class="learn-section" aria-labelledby="achievements-title">
<h2 id="achievements-title">${t('learning.learn.achievements')}</h2>
<h3>${t('learning.learn.certificates')}</h3>${certList}
<h3>${t('learning.learn.badges')}</h3>${badgeList}
</section>`
}

export interface SearchHistorySection {
  enabled: boolean
  queries: { query: string; searchedAt: Date }[]
  csrf: string
  cleared: boolean
}

function historySection(t: T, locale: Locale, s: SearchHistorySection): SafeHtml {
  const list =
    s.queries.length === 0
      ? html`<p class="empty-note">${t('learning.history.empty')}</p>`
      : html`<ul class="history-list">${s.queries.map(
          (q) =>
            html`<li><a href="/courses?q=${encodeURIComponent(q.query)}">${q.query}</a> <span class="learn-card-meta">${time(locale, q.searchedAt)}</span></li>`,
        )}</ul>
<form method="post" action="/learn/search-history/clear">${csrfField(s.csrf)}<button class="button button-outline" type="submit">${t('learning.history.clear')}</button></form>`
  return html`<section class="learn-section" aria-labelledby="history-title">
<h2 id="history-title">${t('learning.history.title')}</h2>
${s.cleared ? html`<p class="notice notice-info" role="status">${t('learning.history.cleared')}</p>` : ''}
<p>${s.enabled ? t('learning.history.on') : t('learning.history.off')}</p>
${list}
</section>`
}

/** Previous/next links of one list of My learning; the other list keeps its page. */
function pager(t: T, my: MyLearning, list: 'current' | 'completed'): SafeHtml {
  const p: ListPage = my.pages[list]
  if (p.pageCount <= 1) return html``
  const href = (n: number) => {
    const pages = { ...my.pages, [list]: { ...p, page: n } }
    const query = [
      pages.current.page > 1 ? `page=${pages.current.page}` : '',
      pages.completed.page > 1 ? `completedPage=${pages.completed.page}` : '',
    ].filter(Boolean)
    return `/learn${query.length ? `?${query.join('&')}` : ''}#${list}-title`
  }
  return html`<nav class="pagination" aria-label="${t(`learning.learn.pagination.${list}`)}">
${p.page > 1 ? html`<a class="button button-outline" rel="prev" href="${href(p.page - 1)}">← ${t('learning.catalogue.pagination.prev')}</a>` : html`<span></span>`}
<p class="pagination-status" aria-current="page">${t('learning.catalogue.pagination.status', { page: p.page, pages: p.pageCount })}</p>
${p.page < p.pageCount ? html`<a class="button button-outline" rel="next" href="${href(p.page + 1)}">${t('learning.catalogue.pagination.next')} →</a>` : html`<span></span>`}
</nav>`
}

export function renderMyLearning(
  i18n: I18n,
  locale: Locale,
  my: MyLearning,
  achievements: LearnerAchievementsView | null,
  history: SearchHistorySection,
): SafeHtml {
  const t: T = (key, values) => i18n.t(locale, key, values)
  const current =
    my.current.length === 0
      ? html`<div class="empty-state"><p>${t('learning.learn.noCurrent')}</p><p><a class="button button-primary" href="/courses">${t('learning.learn.findCourse')}</a></p></div>`
      : html`<ul class="learn-cards">${my.current.map((e) => entryCard(t, locale, e))}</ul>`
  const completed =
    my.completed.length === 0
      ? html`<p class="empty-note">${t('learning.learn.noCompleted')}</p>`
      : html`<ul class="learn-cards">${my.completed.map((e) => entryCard(t, locale, e))}</ul>`
  return html`<div class="learn-page">
<h1>${t('learning.learn.title')}</h1>
<section class="learn-section" aria-labelledby="current-title"><h2 id="current-title">${t('learning.learn.current')}</h2>${current}${pager(t, my, 'current')}</section>
<section class="learn-section" aria-labelledby="completed-title"><h2 id="completed-title">${t('learning.learn.completed')}</h2>${completed}${pager(t, my, 'completed')}</section>
${achievementsSection(t, locale, achievements)}
${historySection(t, locale, history)}
</div>`
}

// ---------- Lesson player ----------

function outlineNav(t: T, locale: Locale, page: LessonPage): SafeHtml {
  const lang = langAttr(page.course.locale, locale)
  return html`<nav class="player-outline" aria-labelledby="outline-title">
<h2 id="outline-title">${t('learning.player.outline')}</h2>
${progressBar(t, page.enrolment.progress.percent, t('learning.learn.progressOf', { title: page.course.title }))}
<ol class="outline-modules">${page.modules.map(
    (m) => html`<li><span class="outline-module"${lang}>${m.title}</span>
<ol class="outline-lessons">${m.lessons.map((l) => {
      const current = l.id === page.lesson.id
      const mark = l.done
        ? html`<span class="done-mark" aria-hidden="true">✓</span><span class="visually-hidden">${t('learning.player.doneMark')}</span>`
        : html`<span class="todo-mark" aria-hidden="true">○</span>`
      return html`<li${current ? html` class="current"` : ''}>${mark}<a href="${lessonUrl(page.course.slug, l.id)}"${current ? html` aria-current="page"` : ''}${lang}>${l.title}</a></li>`
    })}</ol></li>`,
  )}</ol>
</nav>`
}

function lessonNav(t: T, page: LessonPage): SafeHtml {
  const prev = page.prev
    ? html`<a class="button button-outline" rel="prev" href="${lessonUrl(page.course.slug, page.prev.id)}">← ${t('learning.player.prev')}</a>`
    : html`<span></span>`
  const next = page.next
    ? html`<a class="button button-outline" rel="next" href="${lessonUrl(page.course.slug, page.next.id)}">${t('learning.player.next')} →</a>`
    : html`<a class="button button-outline" href="/learn">${t('learning.player.toMyLearning')}</a>`
  return html`<nav class="lesson-nav" aria-label="${t('learning.player.lessonNav')}">${prev}${next}</nav>`
}

function video(t: T, url: string, title: string): SafeHtml {
  const v = videoEmbed(url)
  if (v.kind === 'none') return html``
  if (v.kind === 'iframe')
    return html`<div class="video-frame"><iframe src="${v.src}" title="${title}" loading="lazy" referrerpolicy="strict-origin-when-cross-origin" allow="fullscreen; picture-in-picture" sandbox="allow-scripts allow-same-origin allow-presentation"></iframe></div>
<p class="learn-card-meta"><a href="${url}" rel="noopener noreferrer">${t('learning.player.openVideo')}</a></p>`
  return html`<p><a class="button button-outline" href="${v.href}" rel="noopener noreferrer">${t('learning.player.openVideo')}</a></p>`
}

export interface QuizPanel {
  summary: QuizSummary | null
  open: OpenAttempt | null
  result: AttemptResult | null
}

function quizSummary(t: T, locale: Locale, s: QuizSummary): SafeHtml {
  const attempts =
    s.maxAttempts === null
      ? t('learning.quiz.attemptsUnlimited', { used: s.attemptsUsed })
      : t('learning.quiz.attemptsLimited', { used: s.attemptsUsed, max: s.maxAttempts })
  return html`<ul class="quiz-facts">
<li>${t('learning.quiz.questions', { count: s.questionCount })}</li>
<li>${t('learning.quiz.passMark', { percent: s.passPercent })}</li>
<li>${attempts}</li>
${s.bestScore !== null ? html`<li>${t('learning.quiz.best', { percent: s.bestScore })}</li>` : ''}
</ul>
${s.passed ? html`<p class="notice notice-success" role="status">${t('learning.quiz.passedNote')}</p>` : ''}
${
  s.history.length > 0
    ? html`<details class="quiz-history"><summary>${t('learning.quiz.history')}</summary><ol>${s.history.map(
        (h) =>
          html`<li>${t('learning.quiz.attemptLine', { number: h.number, percent: h.scorePercent })} · ${h.passed ? t('learning.quiz.passed') : t('learning.quiz.failed')} · ${time(locale, h.submittedAt)}</li>`,
      )}</ol></details>`
    : ''
}`
}

function attemptForm(t: T, page: LessonPage, a: OpenAttempt, csrf: string, locale: Locale): SafeHtml {
  const lang = langAttr(a.locale, locale)
  return html`<form class="quiz-form" method="post" action="${attemptUrl(page.course.slug, page.lesson.id, a.id)}">${csrfField(csrf)}
<p class="learn-card-meta">${t('learning.quiz.attemptNumber', { number: a.number })}</p>
<ol class="quiz-questions">${a.questions.map((q, i) => {
    const name = `a_${q.id}`
    const hint = q.kind === 'multiple' ? html`<span class="quiz-hint">${t('learning.quiz.chooseAll')}</span>` : ''
    const n = html`<span class="quiz-number">${i + 1}.</span> `
    if (q.kind === 'short')
      return html`<li class="quiz-question"><label class="quiz-prompt" for="q-${i}">${n}<span${lang}>${q.prompt}</span></label>
<input class="input" id="q-${i}" name="${name}" type="text" maxlength="500" autocomplete="off"></li>`
    const type = q.kind === 'single' ? 'radio' : 'checkbox'
    return html`<li class="quiz-question"><fieldset><legend class="quiz-prompt">${n}<span${lang}>${q.prompt}</span> ${hint}</legend>
${q.options.map((o, j) => html`<div class="quiz-option"><input type="${type}" id="q-${i}-${j}" name="${name}" value="${o.id}"><label for="q-${i}-${j}"${lang}>${o.label}</label></div>`)}
</fieldset></li>`
  })}</ol>
<button class="button button-primary" type="submit">${t('learning.quiz.submit')}</button>
</form>`
}

export function renderResult(t: T, locale: Locale, r: AttemptResult, slug: string, lessonId: string): SafeHtml {
  const lang = langAttr(r.locale, locale)
  return html`<section class="quiz-result" aria-labelledby="result-title">
<h2 id="result-title">${t('learning.quiz.resultTitle', { number: r.number })}</h2>
<p class="notice ${r.passed ? 'notice-success' : 'notice-warning'}" role="status"><strong>${r.passed ? t('learning.quiz.passed') : t('learning.quiz.failed')}</strong> — ${t('learning.quiz.score', { percent: r.scorePercent, correct: r.correctCount, total: r.questionCount, pass: r.passPercent })}</p>
<ol class="quiz-questions">${r.questions.map((q, i) => {
    const n = html`<span class="quiz-number">${i + 1}.</span> `
    const verdict = html`<p class="verdict ${q.correct ? 'verdict-right' : 'verdict-wrong'}">${q.correct ? t('learning.quiz.right') : t('learning.quiz.wrong')}</p>`
    if (q.prompt === null) return html`<li class="quiz-question">${verdict}<p>${t('learning.quiz.removed')}</p></li>`
    const body =
      q.kind === 'short'
        ? html`<p>${t('learning.quiz.yourAnswer')} <strong>${q.textAnswer ?? t('learning.quiz.noAnswer')}</strong></p>
${q.correct ? '' : html`<p>${t('learning.quiz.accepted')} <strong${lang}>${q.acceptedAnswers.join(' / ')}</strong></p>`}`
        : html`<ul class="quiz-feedback">${q.options.map(
            (o) =>
              html`<li class="${o.correct ? 'option-right' : o.chosen ? 'option-wrong' : ''}"><span${lang}>${o.label}</span>${o.chosen ? html` <em>${t('learning.quiz.chosen')}</em>` : ''}${o.correct ? html` <strong>${t('learning.quiz.correctOption')}</strong>` : ''}</li>`,
          )}</ul>`
    return html`<li class="quiz-question"><p class="quiz-prompt">${n}<span${lang}>${q.prompt}</span></p>${verdict}${body}${q.explanation ? html`<p class="quiz-explanation"${lang}>${q.explanation}</p>` : ''}</li>`
  })}</ol>
<p><a class="button button-outline" href="${lessonUrl(slug, lessonId)}">${t('learning.quiz.backToQuiz')}</a></p>
</section>`
}

function quizBlock(t: T, locale: Locale, page: LessonPage, quiz: QuizPanel, csrf: string): SafeHtml {
  const s = quiz.summary
  if (!s) return html`<p class="notice notice-info">${t('learning.quiz.notReady')}</p>`
  if (quiz.result) return html`${renderResult(t, locale, quiz.result, page.course.slug, page.lesson.id)}`
  if (quiz.open) return html`${quizSummary(t, locale, s)}${attemptForm(t, page, quiz.open, csrf, locale)}`
  const canStart = s.attemptsLeft === null || s.attemptsLeft > 0
  const start = canStart
    ? html`<form method="post" action="${lessonUrl(page.course.slug, page.lesson.id)}/attempts">${csrfField(csrf)}<button class="button button-primary" type="submit">${s.attemptsUsed === 0 ? t('learning.quiz.start') : t('learning.quiz.again')}</button></form>`
    : html`<p class="notice notice-warning">${t('learning.quiz.exhausted')}</p>`
  return html`${quizSummary(t, locale, s)}${start}`
}

export function renderLesson(
  i18n: I18n,
  locale: Locale,
  page: LessonPage,
  csrf: string,
  quiz: QuizPanel | null,
  flash: 'done' | 'completed' | null,
): SafeHtml {
  const t: T = (key, values) => i18n.t(locale, key, values)
  const lang = langAttr(page.lesson.locale, locale)
  const l = page.lesson
  const done =
    l.kind === 'quiz' && quiz?.summary
      ? ''
      : l.done
        ? html`<p class="lesson-done">${icon('shield')} ${t('learning.player.isDone')}</p>`
        : html`<form method="post" action="${lessonUrl(page.course.slug, l.id)}/done">${csrfField(csrf)}<button class="button button-primary" type="submit">${t('learning.player.markDone')}</button></form>`
  const completed =
    page.enrolment.status === 'completed'
      ? html`<p class="notice notice-success" role="status">${t('learning.player.courseCompleted')} <a href="/learn">${t('learning.player.toMyLearning')}</a></p>`
      : ''
  return html`<div class="player">
<nav class="breadcrumb" aria-label="${t('learning.page.breadcrumb')}"><ol>
<li><a href="/learn">${t('learning.learn.title')}</a></li>
<li><a href="${courseUrl(page.course.slug)}"${langAttr(page.course.locale, locale)}>${page.course.title}</a></li>
</ol></nav>
${flash === 'done' ? html`<p class="notice notice-info" role="status">${t('learning.player.markedDone')}</p>` : ''}
${completed}
<div class="player-grid">
<article class="player-lesson" aria-labelledby="lesson-title">
<p class="eyebrow"${lang}>${l.moduleTitle}</p>
<h1 id="lesson-title"${lang}>${l.title}</h1>
${l.kind === 'video' && l.videoUrl ? video(t, l.videoUrl, l.title) : ''}
${l.bodyMarkdown.trim() !== '' && !(l.kind === 'quiz' && quiz?.open) ? html`<div class="lesson-body"${lang}>${renderMarkdown(l.bodyMarkdown, { headingOffset: 1 })}</div>` : ''}
${l.kind === 'quiz' && quiz ? quizBlock(t, locale, page, quiz, csrf) : ''}
${attachmentList(t, locale, l.attachments)}
${done}
${lessonNav(t, page)}
</article>
${outlineNav(t, locale, page)}
</div>
</div>`
}

/** The lesson's files: plain download links with the name and size. */
function attachmentList(t: T, locale: Locale, files: LessonPage['lesson']['attachments']): SafeHtml {
  if (files.length === 0) return html``
  const size = (bytes: number) =>
    new Intl.NumberFormat(locale, {
      style: 'unit',
      unit: bytes >= 1_048_576 ? 'megabyte' : 'kilobyte',
      maximumFractionDigits: 1,
    }).format(bytes >= 1_048_576 ? bytes / 1_048_576 : Math.max(1, Math.round(bytes / 1024)))
  return html`<section class="lesson-files" aria-labelledby="lesson-files-title">
<h2 id="lesson-files-title">${t('learning.player.files')}</h2>
<ul>${files.map((f) => html`<li><a href="${attachmentUrl(f.id)}" download>${f.fileName}</a> <span class="learn-card-meta">(${size(f.byteSize)})</span></li>`)}</ul>
</section>`
}

/** The honest "enrol" box action on the course page for a signed-in learner. */
export function enrolAction(t: T, slug: string, csrf: string): SafeHtml {
  return html`<form method="post" action="${courseUrl(slug)}/enrol">${csrfField(csrf)}<button class="button button-primary button-block" type="submit">${t('learning.page.enrol')}</button></form>`
}

/**
 * Authoring forms as the browser posts them, and back: a form keeps exactly
 * what the author typed (so a refused form shows it again), turns into the
 * service's input, and every problem the rules find becomes a sentence in
 * the author's language.
 */
import { LOCALES, type Locale } from '../../platform/context'
import { LANGUAGE_NAMES } from '../../platform/i18n/i18n'
import type { EditableCourse, EditableLesson, EditableModule } from './authoring.service'
import type { T } from './catalogue.views'
import { courseProblems, type CourseInput, type LessonInput, type ModuleInput } from './courses.validation'
import type { Problem } from './learning.errors'
import { COURSE_LEVELS, LESSON_KINDS, type CourseLevel, type LessonKind } from './learning.tables'

/** A posted form body: strings, or arrays of strings for repeated names. */
export type FormBody = Record<string, unknown>

function str(body: FormBody, name: string, max = 100_000): string {
  const v = body[name]
  const s = Array.isArray(v) ? v[0] : v
  return typeof s === 'string' ? s.slice(0, max) : ''
}

function list(body: FormBody, name: string): string[] {
  const v = body[name]
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string')
}

/** A whole number as typed; anything else is NaN, which the rules call out of range. */
function whole(value: string): number {
  return /^\s*\d{1,9}\s*$/.test(value) ? Number(value) : Number.NaN
}

export interface CourseForm {
  slug: string
  languages: Locale[]
  level: string
  durationHours: string
  price: 'free' | 'paid'
  priceKzt: string
  texts: Record<Locale, { title: string; summary: string }>
}

const emptyTexts = <T>(make: () => T) => Object.fromEntries(LOCALES.map((l) => [l, make()])) as Record<Locale, T>

/** The form of a new course: the author's language first, free, beginner. */
export function newCourseForm(locale: Locale): CourseForm {
  return {
    slug: '',
    languages: [locale],
    level: 'beginner',
    durationHours: '',
    price: 'free',
    priceKzt: '',
    texts: emptyTexts(() => ({ title: '', summary: '' })),
  }
}

/** The form filled with a course's current values. */
export function courseFormOf(course: EditableCourse): CourseForm {
  const texts = emptyTexts(() => ({ title: '', summary: '' }))
  for (const l of LOCALES) if (course.texts[l]) texts[l] = { ...course.texts[l] }
  return {
    slug: course.slug,
    languages: [...course.languages],
    level: course.level,
    durationHours: String(course.durationHours),
    price: course.priceKzt === null ? 'free' : 'paid',
    priceKzt: course.priceKzt === null ? '' : String(course.priceKzt),
    texts,
  }
}

/** Reads a posted course form. Languages keep the order of the form's checkboxes. */
export function readCourseForm(body: FormBody): CourseForm {
  const chosen = list(body, 'languages')
  return {
    slug: str(body, 'slug', 200).trim().toLowerCase(),
    languages: LOCALES.filter((l) => chosen.includes(l)),
    level: str(body, 'level', 40),
    durationHours: str(body, 'durationHours', 20),
    price: str(body, 'price') === 'paid' ? 'paid' : 'free',
    priceKzt: str(body, 'priceKzt', 20).replace(/[\s\u00a0\u202f]/g, ''),
    texts: Object.fromEntries(
      LOCALES.map((l) => [l, { title: str(body, `title_${l}`, 1000), summary: str(body, `summary_${l}`, 10_000) }]),
    ) as CourseForm['texts'],
  }
}

/** The service input of a course form, and the problems only the form can see (a paid course needs a price). */
export function courseInputOf(form: CourseForm): { input: CourseInput; problems: Problem[] } {
  const price = whole(form.priceKzt)
  const problems: Problem[] = []
  if (form.price === 'paid' && !(price >= 1)) problems.push({ field: 'priceKzt', problem: 'range' })
  const texts: CourseInput['texts'] = {}
  for (const l of form.languages) texts[l] = form.texts[l]
  const input: CourseInput = {
    slug: form.slug,
    languages: form.languages,
    level: (COURSE_LEVELS.find((x) => x === form.level) ?? form.level) as CourseLevel,
    durationHours: whole(form.durationHours),
    priceKzt: form.price === 'free' ? null : price >= 1 ? price : null,
    texts,
  }
  // When the form itself has a problem, the service is not asked: show the rules' problems with it.
  if (problems.length) problems.push(...courseProblems(input).filter((p) => p.field !== 'priceKzt'))
  return { input, problems }
}

export interface ModuleForm {
  titles: Record<Locale, string>
}

export function moduleFormOf(module?: EditableModule): ModuleForm {
  const titles = emptyTexts(() => '')
  for (const l of LOCALES) titles[l] = module?.titles[l] ?? ''
  return { titles }
}

export function readModuleForm(body: FormBody): ModuleForm {
  const titles = emptyTexts(() => '')
  for (const l of LOCALES) titles[l] = str(body, `title_${l}`, 1000)
  return { titles }
}

export function moduleInputOf(form: ModuleForm): ModuleInput {
  return { titles: { ...form.titles } }
}

export interface LessonForm {
  kind: string
  videoUrl: string
  required: boolean
  durationMinutes: string
  texts: Record<Locale, { title: string; bodyMarkdown: string }>
}

export function lessonFormOf(lesson?: EditableLesson): LessonForm {
  const texts = emptyTexts(() => ({ title: '', bodyMarkdown: '' }))
  for (const l of LOCALES) if (lesson?.texts[l]) texts[l] = { ...lesson.texts[l] }
  return {
    kind: lesson?.kind ?? 'text',
    videoUrl: lesson?.videoUrl ?? '',
    required: lesson?.required ?? true,
    durationMinutes: lesson?.durationMinutes == null ? '' : String(lesson.durationMinutes),
    texts,
  }
}

export function readLessonForm(body: FormBody): LessonForm {
  return {
    kind: str(body, 'kind', 20),
    videoUrl: str(body, 'videoUrl', 1000).trim(),
    required: str(body, 'required') === 'yes',
    durationMinutes: str(body, 'durationMinutes', 20),
    texts: Object.fromEntries(
      LOCALES.map((l) => [l, { title: str(body, `title_${l}`, 1000), bodyMarkdown: str(body, `body_${l}`) }]),
    ) as LessonForm['texts'],
  }
}

export function lessonInputOf(form: LessonForm): LessonInput {
  const minutes = form.durationMinutes.trim()
  return {
    kind: (LESSON_KINDS.find((k) => k === form.kind) ?? form.kind) as LessonKind,
    videoUrl: form.videoUrl || null,
    required: form.required,
    durationMinutes: minutes === '' ? null : whole(minutes),
    texts: { ...form.texts },
  }
}

/** The name of a form field for a problem's field path (`texts.ru.title` → `title_ru`). */
export function fieldName(field: string): string {
  const m = /^(?:texts|titles)\.(kk|ru|en)(?:\.(\w+))?$/.exec(field)
  if (!m) return field
  const part = m[2] === 'bodyMarkdown' ? 'body' : (m[2] ?? 'title')
  return `${part}_${m[1]}`
}

/** The problems keyed by form field name. */
export function problemsByField(problems: readonly Problem[]): Map<string, Problem> {
  const out = new Map<string, Problem>()
  for (const p of problems) if (!out.has(fieldName(p.field))) out.set(fieldName(p.field), p)
  return out
}

/** A sentence for a form problem: the field's own wording when there is one, else the problem's. */
export function problemMessage(t: T, has: (key: string) => boolean, p: Problem): string {
  const leaf = fieldName(p.field).replace(/_(kk|ru|en)$/, '')
  const own = `learning.authoring.problems.${p.problem}_${leaf}`
  return has(own)
    ? t(own)
    : t(
        has(`learning.authoring.problems.${p.problem}`)
          ? `learning.authoring.problems.${p.problem}`
          : 'learning.authoring.problems.invalid',
      )
}

/** A sentence for what a course lacks before publication, and which part of the editor fixes it. */
export function publishProblemMessage(
  t: T,
  course: EditableCourse,
  locale: Locale,
  p: Problem,
): { text: string; anchor: string } {
  const lang = (l: string) => LANGUAGE_NAMES[l as Locale] ?? l
  if (p.field === 'modules') return { text: t('learning.authoring.publish.noModules'), anchor: '#add-module' }
  let m = /^modules\.(\d+)\.lessons$/.exec(p.field)
  if (m) {
    const module = course.modules[Number(m[1])]
    return {
      text: t('learning.authoring.publish.noLessons', { number: Number(m[1]) + 1 }),
      anchor: module ? `#module-${module.id}` : '#programme',
    }
  }
  m = /^modules\.(\d+)\.titles\.(\w+)$/.exec(p.field)
  if (m) {
    const module = course.modules[Number(m[1])]
    return {
      text: t('learning.authoring.publish.moduleTitle', { number: Number(m[1]) + 1, language: lang(m[2]!) }),
      anchor: module ? `#module-${module.id}` : '#programme',
    }
  }
  m = /^lessons\.([0-9a-f-]+)\.texts\.(\w+)(\.bodyMarkdown)?$/.exec(p.field)
  if (m) {
    const lesson = course.modules.flatMap((x) => x.lessons).find((l) => l.id === m![1])
    const title = lesson ? lessonTitle(lesson, course.languages, locale) : '?'
    const key = m[3] ? 'learning.authoring.publish.lessonBody' : 'learning.authoring.publish.lessonTitle'
    return { text: t(key, { title, language: lang(m[2]!) }), anchor: lesson ? `#lesson-${lesson.id}` : '#programme' }
  }
  return { text: t('learning.authoring.problems.invalid'), anchor: '#programme' }
}

/** A lesson's title in the reader's language, else the first it has. */
export function lessonTitle(lesson: EditableLesson, languages: readonly Locale[], locale: Locale): string {
  for (const l of [locale, ...languages]) if (lesson.texts[l]?.title) return lesson.texts[l]!.title
  return '—'
}

/** A module's title in the reader's language, else the first it has. */
export function moduleTitle(module: EditableModule, languages: readonly Locale[], locale: Locale): string {
  for (const l of [locale, ...languages]) if (module.titles[l]) return module.titles[l]!
  return '—'
}

/** The course's title in the reader's language, else its first. */
export function courseTitle(course: EditableCourse, locale: Locale): string {
  for (const l of [locale, ...course.languages]) if (course.texts[l]?.title) return course.texts[l]!.title
  return course.slug
}

/** The order after moving the item at `index` one place up (-1) or down (+1); undefined at an end. */
export function moved(ids: readonly string[], index: number, step: -1 | 1): string[] | undefined {
  const to = index + step
  if (to < 0 || to >= ids.length) return undefined
  const out = [...ids]
  ;[out[index], out[to]] = [out[to]!, out[index]!]
  return out
}

/** Reads a posted order (`a,b,c`) into ids. */
export function readOrder(body: FormBody): string[] {
  return str(body, 'order', 40 * 500)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
}

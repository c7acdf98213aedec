/**
 * The rules an authoring input must keep, as pure functions returning every
 * problem found (a form shows them all at once). Texts are trimmed; a
 * language that is declared must have its title.
 */
import { LOCALES, type Locale } from '../../platform/context'
import type { Problem } from './learning.errors'
import { COURSE_LEVELS, LESSON_KINDS, type CourseLevel, type LessonKind } from './learning.tables'

export const SLUG_FORMAT = /^[a-z0-9]+(-[a-z0-9]+)*$/
/**
 * Words that are pages of their own under /courses/, /learn/ and /teach/:
 * a course with one of these slugs would be hidden behind that page.
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'achievements',
  'certificates',
  'courses',
  'new',
  'search',
  'search-history',
  'verify',
])
export const LIMITS = {
  slug: [3, 80],
  title: 200,
  summary: 2000,
  hours: [1, 2000],
  price: 100_000_000,
  body: 100_000,
  minutes: [1, 600],
  instructorName: 120,
} as const

/** A course as an author submits it. `priceKzt` null or 0 means free. */
export interface CourseInput {
  slug: string
  languages: readonly Locale[]
  level: CourseLevel
  durationHours: number
  priceKzt: number | null
  coverImagePath?: string | null
  texts: Partial<Record<Locale, { title: string; summary: string }>>
}

export interface ModuleInput {
  titles: Partial<Record<Locale, string>>
}

export interface LessonInput {
  kind: LessonKind
  videoUrl?: string | null
  required?: boolean
  durationMinutes?: number | null
  texts: Partial<Record<Locale, { title: string; bodyMarkdown: string }>>
}

const COVER_PATH = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*\.(png|jpg|jpeg|webp)$/
const VIDEO_URL = /^https:\/\/[^\s<>"]+$/

function isWhole(n: unknown, min: number, max: number): boolean {
  return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max
}

function checkLanguages(languages: readonly Locale[], problems: Problem[]): void {
  if (languages.length === 0) problems.push({ field: 'languages', problem: 'required' })
  if (new Set(languages).size !== languages.length || languages.some((l) => !LOCALES.includes(l)))
    problems.push({ field: 'languages', problem: 'invalid' })
}

function checkText(field: string, value: string | undefined, max: number, problems: Problem[], required = true): void {
  const v = value?.trim() ?? ''
  if (required && v === '') problems.push({ field, problem: 'required' })
  else if (v.length > max) problems.push({ field, problem: 'too_long' })
}

/** Every problem of a course input (empty when it is valid). */
export function courseProblems(input: CourseInput): Problem[] {
  const problems: Problem[] = []
  const [minSlug, maxSlug] = LIMITS.slug
  if (!SLUG_FORMAT.test(input.slug) || input.slug.length < minSlug || input.slug.length > maxSlug)
    problems.push({ field: 'slug', problem: 'format' })
  else if (RESERVED_SLUGS.has(input.slug)) problems.push({ field: 'slug', problem: 'reserved' })
  checkLanguages(input.languages, problems)
  if (!COURSE_LEVELS.includes(input.level)) problems.push({ field: 'level', problem: 'invalid' })
  if (!isWhole(input.durationHours, ...LIMITS.hours)) problems.push({ field: 'durationHours', problem: 'range' })
  if (input.priceKzt !== null && !isWhole(input.priceKzt, 0, LIMITS.price))
    problems.push({ field: 'priceKzt', problem: 'range' })
  if (input.coverImagePath && !COVER_PATH.test(input.coverImagePath))
    problems.push({ field: 'coverImagePath', problem: 'format' })
  for (const locale of input.languages) {
    checkText(`texts.${locale}.title`, input.texts[locale]?.title, LIMITS.title, problems)
    checkText(`texts.${locale}.summary`, input.texts[locale]?.summary, LIMITS.summary, problems, false)
  }
  return problems
}

/** Every problem of a module input, for a course taught in `languages`. */
export function moduleProblems(input: ModuleInput, languages: readonly Locale[]): Problem[] {
  const problems: Problem[] = []
  for (const locale of languages) checkText(`titles.${locale}`, input.titles[locale], LIMITS.title, problems)
  return problems
}

/** Every problem of a lesson input, for a course taught in `languages`. */
export function lessonProblems(input: LessonInput, languages: readonly Locale[]): Problem[] {
  const problems: Problem[] = []
  if (!LESSON_KINDS.includes(input.kind)) problems.push({ field: 'kind', problem: 'invalid' })
  const url = input.videoUrl?.trim() || null
  if (input.kind === 'video' && url === null) problems.push({ field: 'videoUrl', problem: 'required' })
  if (url !== null && (!VIDEO_URL.test(url) || url.length > 500))
    problems.push({ field: 'videoUrl', problem: 'format' })
  if (input.durationMinutes != null && !isWhole(input.durationMinutes, ...LIMITS.minutes))
    problems.push({ field: 'durationMinutes', problem: 'range' })
  for (const locale of languages) {
    checkText(`texts.${locale}.title`, input.texts[locale]?.title, LIMITS.title, problems)
    const body = input.texts[locale]?.bodyMarkdown
    checkText(`texts.${locale}.bodyMarkdown`, body, LIMITS.body, problems, input.kind === 'text')
  }
  return problems
}

/** The declared languages' texts, trimmed, in declaration order. */
export function pickTexts<T extends Record<string, string>>(
  texts: Partial<Record<Locale, T>>,
  languages: readonly Locale[],
): Map<Locale, T> {
  const out = new Map<Locale, T>()
  for (const locale of languages) {
    const t = texts[locale]
    if (t) out.set(locale, Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.trim()])) as T)
  }
  return out
}

/** The problems of a cover picture path (the media store's `covers/<id>.webp` form). */
export function coverPathProblems(path: string): Problem[] {
  return COVER_PATH.test(path) ? [] : [{ field: 'coverImagePath', problem: 'format' }]
}

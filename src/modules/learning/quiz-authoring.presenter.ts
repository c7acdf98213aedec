/**
 * The quiz editor's forms as the browser posts them, and back: a form keeps
 * exactly what the author typed (a refused form shows it again), turns into
 * the quiz service's input without judging it (the service's rules do), and
 * the service's problems — named by their place in the whole quiz
 * (`questions.2.options.1.label.ru`) — land on the form field they concern.
 */
import { LOCALES, type Locale } from '../../platform/context'
import type { FormBody } from './authoring.presenter'
import type { T } from './catalogue.views'
import type { Problem } from './learning.errors'
import { QUESTION_KINDS, type QuestionKind, type Texts } from './learning.tables'
import type { EditableQuestion, EditableQuiz, QuizSettingsInput } from './quiz-authoring.service'
import { QUIZ_LIMITS, type QuestionInput } from './quizzes.service'

/** How many option rows a posted form is read for (the quiz service decides how many a question may have). */
export const MAX_OPTION_ROWS = 20
/** Blank option rows a choice question's form offers, and "more options" adds. */
const BLANK_ROWS = 2

function str(body: FormBody, name: string, max = 10_000): string {
  const v = body[name]
  const s = Array.isArray(v) ? v[0] : v
  return typeof s === 'string' ? s.slice(0, max) : ''
}

/** A whole number as typed; anything else is NaN, which the quiz service calls out of range. */
function whole(value: string): number {
  return /^\s*\d{1,9}\s*$/.test(value) ? Number(value) : Number.NaN
}

const perLocale = (make: (l: Locale) => string) =>
  Object.fromEntries(LOCALES.map((l) => [l, make(l)])) as Record<Locale, string>

// ——— Settings ———

export interface SettingsForm {
  passPercent: string
  maxAttempts: string
  shuffleOptions: boolean
}

export function settingsFormOf(quiz: EditableQuiz): SettingsForm {
  return {
    passPercent: String(quiz.passPercent),
    maxAttempts: quiz.maxAttempts === null ? '' : String(quiz.maxAttempts),
    shuffleOptions: quiz.shuffleOptions,
  }
}

export function readSettingsForm(body: FormBody): SettingsForm {
  return {
    passPercent: str(body, 'passPercent', 20).replace(/[\s%]/g, ''),
    maxAttempts: str(body, 'maxAttempts', 20).trim(),
    shuffleOptions: str(body, 'shuffleOptions') === 'yes',
  }
}

/** An empty attempts field means unlimited. */
export function settingsInputOf(form: SettingsForm): QuizSettingsInput {
  return {
    passPercent: whole(form.passPercent),
    maxAttempts: form.maxAttempts === '' ? null : whole(form.maxAttempts),
    shuffleOptions: form.shuffleOptions,
  }
}

// ——— Questions ———

export interface QuestionForm {
  kind: QuestionKind
  prompt: Record<Locale, string>
  explanation: Record<Locale, string>
  /** Every row shown, blank ones included. */
  options: { label: Record<Locale, string>; correct: boolean }[]
  /** Accepted short answers, one a line, as typed. */
  accepted: string
}

export function kindOf(value: string | undefined): QuestionKind {
  return QUESTION_KINDS.find((k) => k === value) ?? 'single'
}

const blankRow = () => ({ label: perLocale(() => ''), correct: false })

/** The form of a new question of `kind`, or of a stored one (with blank rows to add options). */
export function questionFormOf(kind: QuestionKind, q?: EditableQuestion): QuestionForm {
  const texts = (t: Texts | undefined) => perLocale((l) => t?.[l] ?? '')
  const options =
    kind === 'short'
      ? []
      : [
          ...(q?.options ?? []).map((o) => ({ label: texts(o.label), correct: o.correct })),
          ...Array.from({ length: q ? BLANK_ROWS - 1 : BLANK_ROWS + 2 }, blankRow),
        ]
  return {
    kind,
    prompt: texts(q?.prompt),
    explanation: texts(q?.explanation),
    options,
    accepted: (q?.acceptedAnswers ?? []).join('\n'),
  }
}

/** Reads a posted question form; `more` adds blank option rows (the "more options" button). */
export function readQuestionForm(body: FormBody, more = false): QuestionForm {
  const kind = kindOf(str(body, 'kind', 20))
  const options: QuestionForm['options'] = []
  if (kind !== 'short') {
    const rows = Math.min(MAX_OPTION_ROWS, Math.max(0, whole(str(body, 'rows', 4)) || 0))
    for (let i = 0; i < rows; i++)
      options.push({
        label: perLocale((l) => str(body, `option_${i}_${l}`, 3000)),
        correct: str(body, `correct_${i}`) === 'yes',
      })
    if (more) options.push(...Array.from({ length: BLANK_ROWS }, blankRow))
  }
  return {
    kind,
    prompt: perLocale((l) => str(body, `prompt_${l}`, 3000)),
    explanation: perLocale((l) => str(body, `explanation_${l}`, 3000)),
    options: options.slice(0, MAX_OPTION_ROWS),
    accepted: kind === 'short' ? str(body, 'accepted', 20_000) : '',
  }
}

/**
 * The quiz service's input for a question form. Rows left blank in every
 * language of the course and not marked right are not options; `rows` maps
 * each option back to its form row (for the service's problems).
 */
export function questionInputOf(
  form: QuestionForm,
  languages: readonly Locale[],
): { input: QuestionInput; rows: number[] } {
  const texts = (r: Record<Locale, string>): Texts => Object.fromEntries(languages.map((l) => [l, r[l]]))
  const rows: number[] = []
  const options: NonNullable<QuestionInput['options']> = []
  form.options.forEach((o, i) => {
    if (!o.correct && languages.every((l) => o.label[l].trim() === '')) return
    rows.push(i)
    options.push({ label: texts(o.label), correct: o.correct })
  })
  const input: QuestionInput = {
    kind: form.kind,
    prompt: texts(form.prompt),
    ...(languages.some((l) => form.explanation[l].trim() !== '') ? { explanation: texts(form.explanation) } : {}),
    ...(form.kind === 'short' ? { acceptedAnswers: form.accepted.split(/\r?\n/) } : { options }),
  }
  return { input, rows }
}

// ——— Problems ———

/**
 * A quiz service problem as a form field: the edited question's problems by
 * their field name (`prompt_kk`, `option_3_ru`, `options`, `accepted`), the
 * settings' by theirs; problems of other questions keep their question's index.
 */
export interface FieldProblem {
  /** The form field's name (and input id); '' when the problem is the quiz's. */
  name: string
  problem: string
  /** Set for a problem of another question than the one on the form (0-based). */
  question?: number
  /** The field kind of the problem, for its message (`prompt`, `option`, `options`, `accepted`, `passPercent`, …). */
  leaf: string
}

export function fieldProblems(
  problems: readonly Problem[],
  edited?: { index: number; rows: number[] },
): FieldProblem[] {
  return problems.map((p) => {
    const m = /^questions\.(\d+)\.(\w+)(?:\.(\d+))?(?:\.label)?(?:\.(kk|ru|en))?$/.exec(p.field)
    if (!m) {
      const lang = /^(\w+)\.(kk|ru|en)$/.exec(p.field)
      return { name: p.field === 'questions' ? '' : p.field, problem: p.problem, leaf: lang?.[1] ?? p.field }
    }
    const [, index, part, option, lang] = m
    const leaf = part === 'acceptedAnswers' ? 'accepted' : option !== undefined ? 'option' : part!
    if (!edited || Number(index) !== edited.index)
      return { name: '', problem: p.problem, question: Number(index), leaf }
    const name =
      leaf === 'option' ? `option_${edited.rows[Number(option)] ?? option}_${lang}` : lang ? `${leaf}_${lang}` : leaf
    return { name, problem: p.problem, leaf }
  })
}

/** A sentence for a problem: the field's own wording when there is one, else the problem's. */
export function fieldProblemMessage(t: T, has: (key: string) => boolean, p: FieldProblem): string {
  for (const key of [
    `learning.quizAuthoring.problems.${p.problem}_${p.leaf}`,
    `learning.quizAuthoring.problems.${p.problem}`,
    `learning.authoring.problems.${p.problem}`,
  ])
    if (has(key)) return t(key, { ...QUIZ_LIMITS })
  return t('learning.authoring.problems.invalid')
}

/** A question's prompt in the reader's language, else the first of the course's it has. */
export function promptOf(q: { prompt: Texts }, languages: readonly Locale[], locale: Locale): string {
  for (const l of [locale, ...languages]) if (q.prompt[l]) return q.prompt[l]!
  return '—'
}

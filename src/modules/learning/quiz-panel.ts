/**
 * What the learner's quiz lesson shows, made from rows already read: the
 * learner's standing on the quiz (summary) and the open attempt's questions
 * in its stored order. Pure, so the quiz service reads each row once per
 * page (QuizService.panel) and still answers `summary` and `openAttempt` alone.
 */
import type { Locale } from '../../platform/context'
import { chooseLocale } from './catalogue.service'
import type { QuestionKind, Texts } from './learning.tables'
import type { AttemptRow, OptionRow, QuestionRow, QuizSettingsRow } from './progress.repository'

export interface QuizSummary {
  passPercent: number
  maxAttempts: number | null
  questionCount: number
  attemptsUsed: number
  /** null = unlimited. */
  attemptsLeft: number | null
  passed: boolean
  bestScore: number | null
  /** Submitted attempts, newest first. */
  history: { id: string; number: number; scorePercent: number; passed: boolean; submittedAt: Date }[]
  openAttemptId: string | null
}

export interface AttemptQuestion {
  id: string
  kind: QuestionKind
  prompt: string
  options: { id: string; label: string }[]
}

export interface OpenAttempt {
  id: string
  number: number
  locale: Locale
  questions: AttemptQuestion[]
}

/** A text in the reader's language when the course has it, else in the course's first language that has it. */
export function textIn(t: Texts | null | undefined, locale: Locale, languages: readonly Locale[]): string {
  if (!t) return ''
  const l = chooseLocale(locale, languages, Object.keys(t) as Locale[])
  return t[l] ?? ''
}

/** The learner's standing from their attempts at the quiz (in order). */
export function summaryOf(settings: QuizSettingsRow, all: readonly AttemptRow[], questionCount: number): QuizSummary {
  const submitted = all.filter((a) => a.submitted_at !== null)
  const scores = submitted.map((a) => a.score_percent ?? 0)
  return {
    passPercent: settings.pass_percent,
    maxAttempts: settings.max_attempts,
    questionCount,
    attemptsUsed: submitted.length,
    attemptsLeft: settings.max_attempts === null ? null : Math.max(0, settings.max_attempts - submitted.length),
    passed: submitted.some((a) => a.passed),
    bestScore: scores.length > 0 ? Math.max(...scores) : null,
    history: submitted
      .map((a) => ({
        id: a.id,
        number: a.number,
        scorePercent: a.score_percent ?? 0,
        passed: a.passed ?? false,
        submittedAt: a.submitted_at!,
      }))
      .reverse(),
    openAttemptId: all.find((a) => a.submitted_at === null)?.id ?? null,
  }
}

/** An open attempt's questions with their options in the order drawn when it began. */
export function openAttemptOf(
  attempt: AttemptRow,
  quiz: { questions: readonly QuestionRow[]; options: readonly OptionRow[] },
  locale: Locale,
  languages: readonly Locale[],
): OpenAttempt {
  return {
    id: attempt.id,
    number: attempt.number,
    locale: chooseLocale(locale, languages, languages),
    questions: quiz.questions.map((q) => ({
      id: q.id,
      kind: q.kind,
      prompt: textIn(q.prompt, locale, languages),
      options: (attempt.option_order[q.id] ?? []).flatMap((oid) => {
        const o = quiz.options.find((x) => x.id === oid)
        return o ? [{ id: o.id, label: textIn(o.label, locale, languages) }] : []
      }),
    })),
  }
}

/**
 * Which questions of an edited quiz are the same questions as before. Saving
 * a quiz replaces its questions; a question whose content did not change
 * (kind, prompt, explanation, accepted answers, options with their right
 * marks, in order) keeps its id and its options' ids, so reordering, adding
 * or deleting another question keeps its results per question and the
 * feedback of past attempts. A question whose content changed is a new
 * question: past attempts show it as changed, with their stored verdicts.
 * Pure; no database.
 */
import type { QuestionKind, Texts } from './learning.tables'

export interface QuestionContent {
  kind: QuestionKind
  prompt: Texts
  explanation: Texts | null
  acceptedAnswers: readonly string[]
  options: readonly { label: Texts; correct: boolean }[]
}

export interface StoredQuestion extends QuestionContent {
  id: string
  options: readonly { id: string; label: Texts; correct: boolean }[]
}

/** Texts compared by their non-empty values, whatever the key order (jsonb keeps none). */
function sameTexts(a: Texts | null | undefined, b: Texts | null | undefined): boolean {
  const entries = (t: Texts | null | undefined) =>
    Object.entries(t ?? {})
      .filter(([, v]) => typeof v === 'string' && v !== '')
      .sort(([x], [y]) => (x < y ? -1 : 1))
  return JSON.stringify(entries(a)) === JSON.stringify(entries(b))
}

export function sameQuestion(a: QuestionContent, b: QuestionContent): boolean {
  return (
    a.kind === b.kind &&
    sameTexts(a.prompt, b.prompt) &&
    sameTexts(a.explanation, b.explanation) &&
    a.acceptedAnswers.length === b.acceptedAnswers.length &&
    a.acceptedAnswers.every((x, i) => x === b.acceptedAnswers[i]) &&
    a.options.length === b.options.length &&
    a.options.every((o, i) => o.correct === b.options[i]!.correct && sameTexts(o.label, b.options[i]!.label))
  )
}

/**
 * For each incoming question, the stored question it continues (same content),
 * or null for a new one. Each stored question is used at most once, so two
 * identical questions stay two.
 */
export function matchQuestions(
  stored: readonly StoredQuestion[],
  incoming: readonly QuestionContent[],
): (StoredQuestion | null)[] {
  const free = [...stored]
  return incoming.map((q) => {
    const at = free.findIndex((s) => sameQuestion(s, q))
    return at < 0 ? null : free.splice(at, 1)[0]!
  })
}

/** The stored rows of a quiz (questions and options in their order) as questions with ids. */
export function storedQuestions(rows: {
  questions: readonly {
    id: string
    kind: QuestionKind
    prompt: Texts
    explanation: Texts | null
    accepted_answers: string[]
  }[]
  options: readonly { id: string; question_id: string; label: Texts; correct: boolean }[]
}): StoredQuestion[] {
  return rows.questions.map((q) => ({
    id: q.id,
    kind: q.kind,
    prompt: q.prompt,
    explanation: q.explanation,
    acceptedAnswers: q.accepted_answers,
    options: rows.options
      .filter((o) => o.question_id === q.id)
      .map((o) => ({ id: o.id, label: o.label, correct: o.correct })),
  }))
}

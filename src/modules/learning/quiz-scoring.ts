/**
 * Quiz scoring as pure functions, so every rule is visible and tested alone.
 *
 * - Single choice: right when the one chosen option is the correct one.
 * - Multiple choice: right only when the chosen set equals the correct set —
 *   no partial credit (a missed or an extra option makes the question wrong).
 * - Short answer: right when the answer, normalised, equals one of the
 *   accepted answers, normalised the same way: Unicode NFC, trimmed, spaces
 *   collapsed, case-folded (Kazakh and Russian letters included).
 * - An empty answer is wrong. Score = round(100 × right / questions);
 *   passed when score ≥ the pass mark (a mark met exactly passes).
 */
import { createHash } from 'node:crypto'
import type { QuestionKind } from './learning.tables'

/** How a short answer is compared: NFC, trim, collapse white space, lower-case. */
export function normaliseAnswer(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/gu, ' ').toLocaleLowerCase('und').normalize('NFC')
}

export interface ScorableQuestion {
  kind: QuestionKind
  correctOptionIds: readonly string[]
  acceptedAnswers: readonly string[]
}

export interface GivenAnswer {
  optionIds: readonly string[]
  text: string | null
}

/** Whether one answer to one question is right (see the module comment for the rules). */
export function isAnswerCorrect(question: ScorableQuestion, answer: GivenAnswer): boolean {
  if (question.kind === 'short') {
    const given = normaliseAnswer(answer.text ?? '')
    return given !== '' && question.acceptedAnswers.some((a) => normaliseAnswer(a) === given)
  }
  const chosen = new Set(answer.optionIds)
  if (chosen.size === 0) return false
  if (question.kind === 'single' && chosen.size !== 1) return false
  const correct = new Set(question.correctOptionIds)
  return chosen.size === correct.size && [...chosen].every((id) => correct.has(id))
}

/** Whole percent of right answers; 0 for a quiz without questions. */
export function scorePercent(correct: number, total: number): number {
  return total === 0 ? 0 : Math.round((100 * correct) / total)
}

export function isPassed(score: number, passPercent: number): boolean {
  return score >= passPercent
}

/**
 * A shuffled copy of `ids`, decided by `seed` (Fisher–Yates driven by a hash
 * of the seed), so the same attempt always gets the same order.
 */
export function shuffled<T>(ids: readonly T[], seed: string): T[] {
  const out = [...ids]
  let pool = createHash('sha256').update(seed).digest()
  let at = 0
  const next = (): number => {
    if (at + 4 > pool.length) {
      pool = createHash('sha256').update(pool).digest()
      at = 0
    }
    const n = pool.readUInt32BE(at)
    at += 4
    return n
  }
  for (let i = out.length - 1; i > 0; i--) {
    const j = next() % (i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

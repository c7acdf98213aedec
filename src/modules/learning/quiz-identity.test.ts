// Which questions of a saved quiz are unchanged (issue 5): same content in any key order, an empty explanation equal
// to none, two identical questions kept two, and any change — a label, a right mark, the options' order — a new question.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { matchQuestions, sameQuestion, type QuestionContent, type StoredQuestion } from './quiz-identity'

const q = (over: Partial<QuestionContent> = {}): QuestionContent => ({
  kind: 'single',
  prompt: { kk: 'Астана?', ru: 'Астана?' },
  explanation: null,
  acceptedAnswers: [],
  options: [
    { label: { kk: 'Иә', ru: 'Да' }, correct: true },
    { label: { kk: 'Жоқ', ru: 'Нет' }, correct: false },
  ],
  ...over,
})
const stored = (id: string, content: QuestionContent): StoredQuestion => ({
  ...content,
  id,
  options: content.options.map((o, i) => ({ ...o, id: `${id}-${i}` })),
})

describe('quiz identity', () => {
  it('compares content, not key order or empty texts', () => {
    assert.ok(sameQuestion(q(), q({ prompt: { ru: 'Астана?', kk: 'Астана?' }, explanation: {} })))
    assert.ok(!sameQuestion(q(), q({ prompt: { kk: 'Астана?', ru: 'Астана!' } })))
    assert.ok(!sameQuestion(q(), q({ kind: 'multiple' })))
    assert.ok(!sameQuestion(q(), q({ options: [...q().options].reverse() })))
    assert.ok(!sameQuestion(q(), q({ options: q().options.map((o) => ({ ...o, correct: !o.correct })) })))
  })

  it('matches each stored question once, in any new order', () => {
    const a = stored('a', q())
    const b = stored('b', q({ prompt: { kk: 'Б?', ru: 'Б?' } }))
    const twin = stored('c', q())
    assert.deepEqual(
      matchQuestions([a, b, twin], [q({ prompt: { kk: 'Б?', ru: 'Б?' } }), q(), q(), q()]).map((m) => m?.id ?? null),
      ['b', 'a', 'c', null],
    )
  })
})

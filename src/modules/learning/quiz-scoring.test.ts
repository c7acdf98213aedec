// Quiz scoring rules (issue 5): single, multiple (the chosen set must equal the correct set — no partial credit),
// short answers compared after NFC, trimming, collapsing spaces and case-folding; empty answers are wrong.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isAnswerCorrect, isPassed, normaliseAnswer, scorePercent, shuffled } from './quiz-scoring'

describe('quiz scoring', () => {
  const single = { kind: 'single' as const, correctOptionIds: ['a'], acceptedAnswers: [] }
  const multiple = { kind: 'multiple' as const, correctOptionIds: ['a', 'c'], acceptedAnswers: [] }
  const short = { kind: 'short' as const, correctOptionIds: [], acceptedAnswers: ['Абай Құнанбайұлы', 'Abai'] }

  it('single choice: only the one correct option', () => {
    assert.equal(isAnswerCorrect(single, { optionIds: ['a'], text: null }), true)
    assert.equal(isAnswerCorrect(single, { optionIds: ['b'], text: null }), false)
    assert.equal(isAnswerCorrect(single, { optionIds: ['a', 'b'], text: null }), false)
    assert.equal(isAnswerCorrect(single, { optionIds: [], text: null }), false)
  })

  it('multiple choice scores only when the chosen set equals the correct set', () => {
    assert.equal(isAnswerCorrect(multiple, { optionIds: ['c', 'a'], text: null }), true)
    assert.equal(isAnswerCorrect(multiple, { optionIds: ['a'], text: null }), false, 'a missing option')
    assert.equal(isAnswerCorrect(multiple, { optionIds: ['a', 'b', 'c'], text: null }), false, 'an extra option')
    assert.equal(isAnswerCorrect(multiple, { optionIds: [], text: null }), false)
  })

  it('short answers: NFC, trimmed, spaces collapsed, case-folded; empty is wrong', () => {
    assert.equal(isAnswerCorrect(short, { optionIds: [], text: '  абай   ҚҰНАНБАЙҰЛЫ ' }), true)
    assert.equal(isAnswerCorrect(short, { optionIds: [], text: 'ABAI' }), true)
    // "й" written as и + combining breve (NFD) equals the composed letter.
    assert.equal(isAnswerCorrect(short, { optionIds: [], text: 'Аба\u0438\u0306 Құнанбайұлы' }), true)
    assert.equal(isAnswerCorrect(short, { optionIds: [], text: 'Абай' }), false)
    assert.equal(isAnswerCorrect(short, { optionIds: [], text: '   ' }), false)
    assert.equal(isAnswerCorrect(short, { optionIds: [], text: null }), false)
    assert.equal(normaliseAnswer('  Ә\tІ  Ө '), 'ә і ө')
  })

  it('scores whole percents and passes a mark met exactly', () => {
    assert.equal(scorePercent(2, 3), 67)
    assert.equal(scorePercent(0, 0), 0)
    assert.equal(isPassed(70, 70), true)
    assert.equal(isPassed(69, 70), false)
  })

  it('shuffles deterministically per seed, keeping every item', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f']
    assert.deepEqual(shuffled(ids, 'attempt-1'), shuffled(ids, 'attempt-1'))
    assert.deepEqual([...shuffled(ids, 'attempt-1')].sort(), ids)
    const orders = new Set(['1', '2', '3', '4', '5', '6', '7', '8'].map((s) => shuffled(ids, s).join('')))
    assert.ok(orders.size > 1)
  })
})

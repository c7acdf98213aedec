// Search normalisation: Kazakh and Russian inflected forms meet at a common stem; queries are safe tsqueries.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { lexemes, searchText, toTsQuery, trigrams, variants, words } from './search-text'

/** Whether every searchable word of the query meets a stored lexeme (as the tsquery would). */
function finds(stored: string, query: string): boolean {
  const tsquery = toTsQuery(query)
  if (!tsquery) return false
  const doc = new Set(lexemes(stored))
  return tsquery
    .split(' & ')
    .every((group) =>
      [...group.matchAll(/'([^']+)'(:\*)?/g)].some(([, lexeme, prefix]) =>
        prefix ? [...doc].some((d) => d.startsWith(lexeme!)) : doc.has(lexeme!),
      ),
    )
}

describe('search text', () => {
  const cases: [string, string[]][] = [
    ['Цифрлық сауаттылық негіздері', ['сауаттылықты', 'цифрлық', 'сауаттылығы', 'негіздерін', 'негіздерінің']],
    ['Основы цифровой грамотности', ['грамотность', 'цифровая', 'основам', 'цифровую грамотность']],
    ['Оқытудағы бағалау әдістері', ['бағалаудың', 'әдістерін', 'оқыту', 'бағалауды']],
    ['Методы оценивания в обучении', ['оценивание', 'методам', 'обучение', 'методов оценивания']],
    ['Инклюзивті білім беру', ['инклюзивті', 'білімді', 'білімнің']],
    ['Assessment methods', ['method', 'assessments']],
  ]
  for (const [title, queries] of cases)
    for (const q of queries) it(`"${title}" is found by "${q}"`, () => assert.ok(finds(title, q)))

  it('does not find a course by an unrelated word', () => {
    assert.equal(finds('Основы цифровой грамотности', 'математика'), false)
    assert.equal(finds('Цифрлық сауаттылық негіздері', 'инклюзивті'), false)
  })

  it('lower-cases, reads ё as е, and keeps Kazakh letters', () => {
    assert.deepEqual(words('ЁЛКА, Әдіс-тәсіл: ҚҰРАЛ №5'), ['елка', 'әдіс', 'тәсіл', 'құрал', '5'])
    assert.equal(searchText('Цифрлық  САУАТТЫЛЫҚ!'), 'цифрлық сауаттылық')
  })

  it('never strips a word below three letters', () => {
    for (const v of variants('ата')) assert.ok(v.length >= 3, v)
    assert.ok(variants('курстарымызда').includes('курс'))
  })

  it('builds tsqueries of quoted letters and digits only, ignoring stop words and operators', () => {
    assert.equal(toTsQuery("и & | ! ( ) ' :*"), null)
    const q = toTsQuery("курс по цифровой') | !грамотности")
    assert.ok(q)
    assert.match(q, /^\((?:'[\p{L}\p{N}]+'(?::\*)?(?: \| )?)+\)(?: & \((?:'[\p{L}\p{N}]+'(?::\*)?(?: \| )?)+\))*$/u)
    assert.doesNotMatch(q, /'по'/)
  })

  it('makes pg_trgm-style trigrams, padded per word', () => {
    assert.deepEqual(trigrams('Ақ'), ['  а', ' ақ', 'ақ '])
  })
})

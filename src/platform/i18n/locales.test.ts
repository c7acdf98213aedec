/**
 * The locale files are complete and well-formed: every key exists in kk, ru
 * and en, every message parses as ICU, translations use the same arguments,
 * and plurals name the categories each language needs.
 */
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { describe, it } from 'node:test'
import { IntlMessageFormat } from 'intl-messageformat'
import { LOCALES, type Locale } from '../context'
import { loadLocaleFiles } from './i18n'

const LOCALES_DIR = fileURLToPath(new URL('../../../locales', import.meta.url))
const messages = loadLocaleFiles(LOCALES_DIR)

// AST element types of intl-messageformat: 1 argument, 2 number, 3 date, 4 time, 5 select, 6 plural, 8 tag.
interface AstNode {
  type: number
  value?: string
  options?: Record<string, { value: AstNode[] }>
  children?: AstNode[]
}

function walk(nodes: AstNode[], visit: (n: AstNode) => void): void {
  for (const n of nodes) {
    visit(n)
    for (const option of Object.values(n.options ?? {})) walk(option.value, visit)
    if (n.children) walk(n.children, visit)
  }
}

function parse(locale: Locale, source: string): AstNode[] {
  return new IntlMessageFormat(source, locale).getAst() as unknown as AstNode[]
}

function argumentsOf(locale: Locale, source: string): string[] {
  const names = new Set<string>()
  walk(parse(locale, source), (n) => {
    if (n.type >= 1 && n.type <= 6 && n.value) names.add(n.value)
  })
  return [...names].sort()
}

const REQUIRED_PLURAL_CATEGORIES: Record<Locale, string[]> = {
  kk: ['other'],
  ru: ['one', 'few', 'many', 'other'],
  en: ['one', 'other'],
}

describe('locale files', () => {
  const allKeys = [...new Set(LOCALES.flatMap((l) => Object.keys(messages[l])))].sort()

  it('have at least the messages the layout needs', () => {
    for (const key of ['app.name', 'app.tagline', 'layout.skip', 'layout.languages', 'errors.not_found']) {
      assert.ok(allKeys.includes(key), `missing ${key}`)
    }
  })

  for (const locale of LOCALES) {
    it(`${locale}: no key is missing`, () => {
      const missing = allKeys.filter((k) => messages[locale][k] === undefined)
      assert.deepEqual(missing, [], `keys missing in locales/${locale}.json:\n  ${missing.join('\n  ')}`)
    })

    it(`${locale}: no message is empty`, () => {
      const empty = allKeys.filter((k) => messages[locale][k]?.trim() === '')
      assert.deepEqual(empty, [], `empty messages in locales/${locale}.json: ${empty.join(', ')}`)
    })

    it(`${locale}: every message parses as ICU`, () => {
      const broken: string[] = []
      for (const [key, source] of Object.entries(messages[locale])) {
        try {
          parse(locale, source)
        } catch (err) {
          broken.push(`${key}: ${(err as Error).message}`)
        }
      }
      assert.deepEqual(
        broken,
        [],
        `messages that are not valid ICU in locales/${locale}.json:\n  ${broken.join('\n  ')}`,
      )
    })

    it(`${locale}: plurals name the categories the language needs`, () => {
      const problems: string[] = []
      for (const [key, source] of Object.entries(messages[locale])) {
        walk(parse(locale, source), (n) => {
          if (n.type !== 6) return
          const missing = REQUIRED_PLURAL_CATEGORIES[locale].filter((c) => !(c in (n.options ?? {})))
          if (missing.length) problems.push(`${key} {${n.value}}: missing ${missing.join(', ')}`)
        })
      }
      assert.deepEqual(problems, [], `incomplete plurals in locales/${locale}.json:\n  ${problems.join('\n  ')}`)
    })

    it(`${locale}: no word mixes Latin and Cyrillic letters (look-alike typos)`, () => {
      const mixed: string[] = []
      for (const [key, source] of Object.entries(messages[locale])) {
        for (const word of source.split(/[^\p{L}]+/u)) {
          if (/\p{Script=Latin}/u.test(word) && /\p{Script=Cyrillic}/u.test(word)) mixed.push(`${key}: ${word}`)
        }
      }
      assert.deepEqual(mixed, [], `mixed-script words:\n  ${mixed.join('\n  ')}`)
    })
  }

  it('translations use the same arguments as Kazakh', () => {
    const problems: string[] = []
    for (const [key, source] of Object.entries(messages.kk)) {
      const expected = argumentsOf('kk', source)
      for (const locale of LOCALES) {
        const other = messages[locale][key]
        if (other === undefined) continue
        const actual = argumentsOf(locale, other)
        if (actual.join() !== expected.join())
          problems.push(`${locale} ${key}: {${actual.join(', ')}} vs kk {${expected.join(', ')}}`)
      }
    }
    assert.deepEqual(problems, [], problems.join('\n'))
  })
})

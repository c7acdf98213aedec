/**
 * Search normalisation for the catalogue, the same for stored texts and for
 * queries. PostgreSQL has no Kazakh dictionary and PGlite does not reliably
 * ship the Russian snowball one, so Oqu makes its own lexemes: every word is
 * lower-cased and stored both as it is and with common Kazakh and Russian
 * inflection suffixes stripped (a few rounds, for Kazakh's stacked endings:
 * курс·тар·ымыз·да). A query word matches when any of its variants equals
 * any variant of a stored word; the word as typed also matches as a prefix.
 * Trigrams (as pg_trgm makes them) catch typos the stemmer cannot.
 */

/** Russian endings: adjective, noun and a few verb forms, longest first after sorting. */
const RUSSIAN = (
  'ами ями ого его ому ему ыми ими ых их ую юю ая яя ое ее ые ие ой ей ый ий ым им ом ем ам ям ах ях ов ев ' +
  'ия ие ию ья ье ью ость ости остью ать ять ить еть ует ют ут а я о е и ы у ю ь'
).split(' ')

/** Kazakh endings: plural, case (genitive, dative, accusative, locative, ablative, instrumental), possessive. */
const KAZAKH = (
  'лар лер дар дер тар тер ның нің дың дің тың тің ға ге қа ке на не ны ні ды ді ты ті н ' +
  'да де та те нда нде дан ден тан тен нан нен мен бен пен ымыз іміз ыңыз іңіз ым ім ың ің сы сі ы і ' +
  'дағы дегі тағы тегі ғы гі қы кі лық лік дық дік тық тік шы ші у'
).split(' ')

const ENGLISH = ['ing', 'es', 'ed', 's']

const CYRILLIC_SUFFIXES = [...new Set([...RUSSIAN, ...KAZAKH])].sort((a, b) => b.length - a.length)
const LATIN = /^[a-z0-9]+$/

/** Shortest stem worth keeping: shorter ones match too much. */
const MIN_STEM = 3
/** Rounds of stripping (Kazakh stacks plural, possessive and case endings). */
const ROUNDS = 3
/** Words shorter than this are not searched (prepositions, particles). */
const MIN_WORD = 2

/** Common words that would make an AND query fail for no reason. */
const STOP_WORDS = new Set(
  (
    'и в во на по с со к ко о об от до за из у для как что это при или не но а же ли бы то ' +
    'және мен бен пен үшін бойынша туралы да де та те ма ме ба бе па пе ' +
    'the and for of to in on a an with about'
  ).split(' '),
)

/** Lower-cased words of a text (letters and digits; ё read as е). */
export function words(text: string): string[] {
  return (
    text
      .normalize('NFC')
      .toLowerCase()
      .replace(/ё/g, 'е')
      .match(/[\p{L}\p{N}]+/gu) ?? []
  )
}

/** Kazakh voices a final қ, к, п before a vowel ending (сауаттылық → сауаттылығы): undo it as a second stem. */
const VOICED: Record<string, string> = { ғ: 'қ', г: 'к', б: 'п' }

function unvoiced(stem: string): string[] {
  const last = VOICED[stem.slice(-1)]
  return last ? [stem, stem.slice(0, -1) + last] : [stem]
}

/** The word and its stems: every way of stripping up to three known endings that leaves a stem of three letters or more. */
export function variants(word: string): string[] {
  const suffixes = LATIN.test(word) ? ENGLISH : CYRILLIC_SUFFIXES
  const found = new Set([word])
  let frontier = [word]
  for (let round = 0; round < ROUNDS && frontier.length > 0; round++) {
    const next: string[] = []
    for (const w of frontier) {
      for (const suffix of suffixes) {
        if (w.length - suffix.length < MIN_STEM || !w.endsWith(suffix)) continue
        for (const stem of unvoiced(w.slice(0, -suffix.length))) {
          if (found.has(stem)) continue
          found.add(stem)
          next.push(stem)
        }
      }
    }
    frontier = next
  }
  return [...found]
}

/** The searchable words of a text: stop words and one-letter words dropped. */
function searchWords(text: string): string[] {
  return words(text).filter((w) => w.length >= MIN_WORD && !STOP_WORDS.has(w))
}

/** Every lexeme stored for a text: its words and their stems, without duplicates. */
export function lexemes(text: string): string[] {
  return [...new Set(searchWords(text).flatMap(variants))]
}

/** The lower-cased words of a text joined by spaces (what trigram matching compares). */
export function searchText(text: string): string {
  return words(text).join(' ')
}

/** pg_trgm's trigrams of a text: each word padded with two spaces before and one after. */
export function trigrams(text: string): string[] {
  const out = new Set<string>()
  for (const w of words(text)) {
    const padded = [...`  ${w} `]
    for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3).join(''))
  }
  return [...out]
}

/**
 * A tsquery for the search box's text: every word must match, by any of its
 * variants or by the word as a prefix. Null when nothing searchable is left.
 * Lexemes are letters and digits only, so quoting them is safe.
 */
export function toTsQuery(query: string): string | null {
  const groups = [...new Set(searchWords(query))].slice(0, 8).map((word) => {
    const terms = variants(word).map((v) => `'${v}'`)
    if (word.length >= MIN_STEM) terms.push(`'${word}':*`)
    return `(${terms.join(' | ')})`
  })
  return groups.length > 0 ? groups.join(' & ') : null
}

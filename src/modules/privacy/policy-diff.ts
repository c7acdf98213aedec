/**
 * What changed between two policy texts (T-6.1, T-6.2), as blocks a page can
 * show: paragraphs kept, added, removed, or changed — a changed paragraph
 * carries its words kept, added and removed. Compared on the Markdown, one
 * paragraph (block of lines) at a time, with the `diff` package.
 */
import { diffArrays, diffWordsWithSpace } from 'diff'

export type DiffWord = { kind: 'same' | 'added' | 'removed'; text: string }

export type DiffBlock =
  | { kind: 'same'; text: string }
  | { kind: 'added'; text: string }
  | { kind: 'removed'; text: string }
  | { kind: 'changed'; words: DiffWord[] }

export interface PolicyDiff {
  blocks: DiffBlock[]
  added: number
  removed: number
  changed: number
}

/** Splits Markdown into paragraphs (blank-line separated); lines inside one are kept. */
function paragraphs(markdown: string): string[] {
  return markdown
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n+/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
}

/** Paragraphs as alike as this (shared words / all words) are shown as one changed paragraph. */
const SIMILAR = 0.4

function similarity(a: string, b: string): number {
  let same = 0
  for (const p of diffWordsWithSpace(a, b)) if (!p.added && !p.removed) same += p.value.length
  return same / Math.max(a.length, b.length, 1)
}

function wordsOf(a: string, b: string): DiffWord[] {
  return diffWordsWithSpace(a, b).map((p) => ({
    kind: p.added ? 'added' : p.removed ? 'removed' : 'same',
    text: p.value,
  }))
}

/** The difference from `before` (undefined: the first version, all added) to `after`. */
export function diffPolicies(before: string | undefined, after: string): PolicyDiff {
  const parts = diffArrays(paragraphs(before ?? ''), paragraphs(after))
  const blocks: DiffBlock[] = []
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!
    const next = parts[i + 1]
    if (part.removed && next?.added) {
      // Pair removed and added paragraphs one to one; similar pairs become "changed" with word marks.
      const removed = part.value
      const added = next.value
      const n = Math.max(removed.length, added.length)
      for (let j = 0; j < n; j++) {
        const r = removed[j]
        const a = added[j]
        if (r !== undefined && a !== undefined && similarity(r, a) >= SIMILAR)
          blocks.push({ kind: 'changed', words: wordsOf(r, a) })
        else {
          if (r !== undefined) blocks.push({ kind: 'removed', text: r })
          if (a !== undefined) blocks.push({ kind: 'added', text: a })
        }
      }
      i++
      continue
    }
    const kind = part.added ? 'added' : part.removed ? 'removed' : 'same'
    for (const text of part.value) blocks.push({ kind, text })
  }
  return {
    blocks,
    added: blocks.filter((b) => b.kind === 'added').length,
    removed: blocks.filter((b) => b.kind === 'removed').length,
    changed: blocks.filter((b) => b.kind === 'changed').length,
  }
}

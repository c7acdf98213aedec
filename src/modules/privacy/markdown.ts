/**
 * A small, safe Markdown renderer for policy texts. It understands only what
 * a policy needs — headings, paragraphs, bulleted and numbered lists, rules,
 * **strong**, *emphasis* or _emphasis_, `code`, <https://autolinks> and [links](https://…)
 * — and escapes everything else. No raw HTML ever passes through: `<script>`
 * in a text is shown as text, and links go only to https, http or mailto.
 */
import { escapeHtml, raw, type SafeHtml } from '../../platform/views/html'

export interface MarkdownOptions {
  /** Added to every heading level (1 turns `#` into `<h2>`, for a page that has its own `<h1>`). */
  headingOffset?: number
}

const HEADING = /^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$/
const RULE = /^ {0,3}([-*_])( *\1){2,} *$/
const BULLET = /^ {0,3}[-*+][ \t]+(.*)$/
const NUMBERED = /^ {0,3}(\d{1,9})[.)][ \t]+(.*)$/
const CONTINUATION = /^ {2,}\S/
const SAFE_URL = /^(https?:\/\/|mailto:)[^\s<>"'`\\]+$/i
const WORD = 'A-Za-z0-9_\\u00C0-\\u04FF'
const INLINE = new RegExp(
  [
    /\\([\\`*_{}[\]()#+\-.!<>])/.source, // backslash escape
    /`([^`\n]+)`/.source, // code
    /<((?:https?:\/\/|mailto:)[^\s<>]+)>/.source, // autolink
    /\[([^\]\n]+)\]\(([^()\s]+)\)/.source, // link
    /\*\*(.+?)\*\*/.source, // strong
    /\*([^*\s](?:[^*]*[^*\s])?)\*/.source, // emphasis
    `(?<![${WORD}])_([^_\\s](?:[^_]*[^_\\s])?)_(?![${WORD}])`, // emphasis, not inside a word
  ].join('|'),
  'g',
)

function link(url: string, label: string): string {
  return `<a href="${escapeHtml(url)}" rel="noopener noreferrer">${label}</a>`
}

/** Renders inline markup; every piece of text is escaped. */
function inline(text: string): string {
  let out = ''
  let last = 0
  for (const m of text.matchAll(INLINE)) {
    out += escapeHtml(text.slice(last, m.index))
    last = m.index + m[0].length
    const [whole, escaped, code, autolink, label, url, strong, star, underscore] = m
    const em = star ?? underscore
    if (escaped !== undefined) out += escapeHtml(escaped)
    else if (code !== undefined) out += `<code>${escapeHtml(code)}</code>`
    else if (autolink !== undefined)
      out += SAFE_URL.test(autolink) ? link(autolink, escapeHtml(autolink)) : escapeHtml(whole)
    else if (label !== undefined && url !== undefined)
      out += SAFE_URL.test(url) ? link(url, inline(label)) : escapeHtml(whole)
    else if (strong !== undefined) out += `<strong>${inline(strong)}</strong>`
    else if (em !== undefined) out += `<em>${inline(em)}</em>`
  }
  return out + escapeHtml(text.slice(last))
}

type ListKind = 'ul' | 'ol'

function startsBlock(line: string): boolean {
  return HEADING.test(line) || RULE.test(line) || BULLET.test(line) || NUMBERED.test(line)
}

/** Reads a list starting at `i`; returns its HTML and the index after it. */
function list(lines: readonly string[], i: number, kind: ListKind): [string, number] {
  const marker = kind === 'ul' ? BULLET : NUMBERED
  const items: string[] = []
  const first = NUMBERED.exec(lines[i] ?? '')
  const start = kind === 'ol' && first?.[1] !== undefined ? Number(first[1]) : 1
  while (i < lines.length) {
    const m = marker.exec(lines[i] ?? '')
    if (!m) break
    const parts = [kind === 'ul' ? (m[1] ?? '') : (m[2] ?? '')]
    i++
    while (i < lines.length && CONTINUATION.test(lines[i] ?? '') && !startsBlock(lines[i] ?? '')) {
      parts.push((lines[i] ?? '').trim())
      i++
    }
    items.push(`<li>${inline(parts.join('\n'))}</li>`)
  }
  const open = kind === 'ol' && start !== 1 ? `<ol start="${start}">` : `<${kind}>`
  return [`${open}\n${items.join('\n')}\n</${kind}>`, i]
}

/** Renders policy Markdown to HTML that is safe to put in a page. */
export function renderMarkdown(markdown: string, options: MarkdownOptions = {}): SafeHtml {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n')
  const offset = options.headingOffset ?? 0
  const blocks: string[] = []
  let i = 0
  while (i < lines.length) {
    const line = lines[i] ?? ''
    const heading = HEADING.exec(line)
    if (line.trim() === '') {
      i++
    } else if (heading) {
      const level = Math.min(6, (heading[1] ?? '#').length + offset)
      blocks.push(`<h${level}>${inline(heading[2] ?? '')}</h${level}>`)
      i++
    } else if (RULE.test(line)) {
      blocks.push('<hr>')
      i++
    } else if (BULLET.test(line) || NUMBERED.test(line)) {
      const [block, next] = list(lines, i, BULLET.test(line) ? 'ul' : 'ol')
      blocks.push(block)
      i = next
    } else {
      const para: string[] = []
      while (
        i < lines.length &&
        (lines[i] ?? '').trim() !== '' &&
        (para.length === 0 || !startsBlock(lines[i] ?? ''))
      ) {
        para.push((lines[i] ?? '').trim())
        i++
      }
      blocks.push(`<p>${inline(para.join('\n'))}</p>`)
    }
  }
  return raw(blocks.join('\n'))
}

/**
 * Renders the privacy inventory (docs/privacy/inventory.md) from the data
 * map: the record of processing an operator shows to the authorised body.
 */
import { isPersonal, type DataMapRegistry } from './data-map'
import { ERASURE, PD_CATEGORIES, PURPOSES, RESTRICTED_CATEGORIES, SOURCES } from './taxonomy'

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')

/** Markdown inventory, deterministic (sorted) so the committed copy can be checked. */
export function renderInventory(registry: DataMapRegistry): string {
  const lines: string[] = []
  const columns = registry.columns()
  const personal = columns.filter((c) => isPersonal(c.classification))
  lines.push('# Personal-data inventory', '')
  lines.push('Generated from the data map by `npx oqu privacy inventory`; do not edit by hand.')
  lines.push('A test fails when this file differs from what the code declares.', '')
  lines.push(
    `Tables: ${new Set(columns.map((c) => c.table)).size}. Columns: ${columns.length}, of which personal: ${personal.length}.`,
    '',
  )
  lines.push('## Categories', '', '| category | meaning | restricted | columns |', '|---|---|---|---|')
  for (const [cat, meaning] of Object.entries(PD_CATEGORIES)) {
    const n = personal.filter((c) => c.classification.category === cat).length
    const restricted = (RESTRICTED_CATEGORIES as readonly string[]).includes(cat) ? 'yes' : 'no'
    lines.push(`| ${cat} | ${cell(meaning)} | ${restricted} | ${n} |`)
  }
  lines.push('', '## Purposes', '', '| purpose | meaning |', '|---|---|')
  for (const [p, meaning] of Object.entries(PURPOSES)) lines.push(`| ${p} | ${cell(meaning)} |`)
  lines.push('', '## Tables', '')
  const tables = [...new Set(columns.map((c) => c.table))].sort()
  for (const table of tables) {
    const def = registry.table(table)
    if (!def) continue
    lines.push(`### \`${table}\` (${def.module})`, '', cell(def.description), '')
    if (def.subjectColumn) lines.push(`Data subject: \`${def.subjectColumn}\``, '')
    lines.push(
      '| column | category | purposes | source | export | erasure | encrypted |',
      '|---|---|---|---|---|---|---|',
    )
    for (const [column, c] of Object.entries(def.columns).sort(([a], [b]) => a.localeCompare(b))) {
      if (!isPersonal(c)) {
        lines.push(`| ${column} | not personal | | | | | |`)
        continue
      }
      lines.push(
        `| ${column} | ${c.category} | ${c.purposes.join(', ')} | ${SOURCES[c.source]} | ${c.export} | ${ERASURE[c.erase]} | ${c.encrypted ? 'yes' : 'no'} |`,
      )
    }
    lines.push('')
  }
  return lines.join('\n')
}

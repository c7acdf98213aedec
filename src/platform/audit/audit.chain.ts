/**
 * The hash chain: canonical JSON of an entry's content, linked to the
 * previous entry's hash and to its own position (seq). PostgreSQL and PGlite
 * return the same values through the same driver, and canonical JSON sorts
 * keys and writes timestamps as ISO strings, so both hash identically.
 */
import { createHash } from 'node:crypto'
import type { AuditData } from './audit.tables'

/** prev_hash of the first entry (and the chain head of an empty log). */
export const GENESIS_HASH = '0'.repeat(64)

/** The columns an entry's hash covers, in the order they are selected. */
export const CONTENT_COLUMNS = [
  'id',
  'occurred_at',
  'action',
  'actor_kind',
  'actor_id',
  'subject_type',
  'subject_id',
  'target_type',
  'target_id',
  'request_id',
  'ip',
  'data',
] as const

export interface EntryContent {
  id: string
  occurred_at: Date
  action: string
  actor_kind: string
  actor_id: string | null
  subject_type: string | null
  subject_id: string | null
  target_type: string | null
  target_id: string | null
  request_id: string | null
  ip: string | null
  data: AuditData | string
}

/** JSON with object keys sorted at every depth, Dates as ISO strings and bigints as strings. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (value instanceof Date) return JSON.stringify(value.toISOString())
  if (typeof value === 'bigint') return JSON.stringify(value.toString())
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number')
  return JSON.stringify(value)
}

/** The hashed form of a row: exactly the content columns, ids as strings, jsonb parsed. */
function normalise(row: EntryContent): Record<string, unknown> {
  const content: Record<string, unknown> = {}
  for (const column of CONTENT_COLUMNS) content[column] = row[column]
  content.id = String(row.id)
  content.occurred_at = new Date(row.occurred_at)
  content.data = typeof row.data === 'string' ? (JSON.parse(row.data) as unknown) : row.data
  return content
}

/** hash = SHA-256(canonical JSON of the content + prev_hash + seq), hex. */
export function entryHash(row: EntryContent, prevHash: string, seq: number): string {
  return createHash('sha256')
    .update(canonicalJson(normalise(row)))
    .update('\n')
    .update(prevHash)
    .update('\n')
    .update(String(seq))
    .digest('hex')
}

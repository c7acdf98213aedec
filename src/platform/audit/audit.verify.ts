/**
 * Walks the sealed chain in seq order and recomputes every hash. It reports
 * the first entry that breaks the chain: a changed entry (its hash), a
 * deleted or moved entry (a gap in seq or a prev_hash that does not match),
 * and a truncated tail (the chain head remembers more than is there).
 */
import type { Db } from '../db/database'
import { CONTENT_COLUMNS, GENESIS_HASH, entryHash } from './audit.chain'

export interface BadEntry {
  seq: number
  /** The row found at that position; null when the row is missing (truncated tail). */
  id: string | null
  reason: string
}

export interface VerifyResult {
  ok: boolean
  /** Entries verified before the first bad one (all of them when ok). */
  checked: number
  /** Entries written but not yet sealed: not covered by this verification. */
  unsealed: number
  head: { seq: number; hash: string } | null
  firstBad?: BadEntry
}

const PAGE = 1000

interface Walk {
  expected: number
  prevHash: string
  checked: number
}

type Row = Awaited<ReturnType<typeof readPage>>[number]

function readPage(db: Db, afterSeq: number) {
  return db
    .selectFrom('audit_log')
    .select([...CONTENT_COLUMNS, 'seq', 'prev_hash', 'hash'])
    .where('seq', 'is not', null)
    .where('seq', '>', String(afterSeq))
    .orderBy('seq')
    .limit(PAGE)
    .execute()
}

/** Checks one row against the walk so far; returns the problem, if any. */
function checkRow(row: Row, walk: Walk, headSeq: number): BadEntry | undefined {
  const seq = Number(row.seq)
  const at = { seq: walk.expected, id: String(row.id) }
  if (seq !== walk.expected) return { ...at, reason: `entry seq ${walk.expected} is missing (the next is seq ${seq})` }
  if (seq > headSeq) return { ...at, reason: `entry is sealed beyond the chain head (seq ${headSeq})` }
  if (entryHash(row, row.prev_hash ?? '', seq) !== row.hash) {
    return { ...at, reason: 'hash mismatch: the entry was changed or moved' }
  }
  if (row.prev_hash !== walk.prevHash) {
    return { ...at, reason: 'prev_hash does not match the previous entry: an entry was removed, inserted or moved' }
  }
  return undefined
}

async function walkChain(db: Db, head: { seq: number; hash: string }): Promise<{ walk: Walk; bad?: BadEntry }> {
  const walk: Walk = { expected: 1, prevHash: GENESIS_HASH, checked: 0 }
  for (;;) {
    const rows = await readPage(db, walk.expected - 1)
    for (const row of rows) {
      const bad = checkRow(row, walk, head.seq)
      if (bad) return { walk, bad }
      walk.prevHash = row.hash ?? ''
      walk.expected += 1
      walk.checked += 1
    }
    if (rows.length < PAGE) return { walk }
  }
}

/** The tail check: the last entry must be the one the chain head remembers. */
function checkTail(walk: Walk, head: { seq: number; hash: string }): BadEntry | undefined {
  const last = walk.expected - 1
  if (last < head.seq) {
    return {
      seq: last + 1,
      id: null,
      reason: `the chain head records ${head.seq} entries but only ${last} remain: the tail was removed`,
    }
  }
  if (walk.prevHash !== head.hash) {
    return { seq: last, id: null, reason: 'the last entry does not match the hash recorded in the chain head' }
  }
  return undefined
}

async function verifyIn(db: Db): Promise<VerifyResult> {
  const headRow = await db
    .selectFrom('audit_chain_head')
    .select(['last_seq', 'last_hash'])
    .where('id', '=', true)
    .executeTakeFirst()
  const head = headRow ? { seq: Number(headRow.last_seq), hash: headRow.last_hash } : null
  const { count } = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('seq', 'is', null)
    .executeTakeFirstOrThrow()
  const unsealed = Number(count)
  if (!head) {
    const sealed = await readPage(db, 0)
    if (sealed.length === 0) return { ok: true, checked: 0, unsealed, head }
    const firstBad = { seq: 1, id: null, reason: 'the chain head row is missing' }
    return { ok: false, checked: 0, unsealed, head, firstBad }
  }
  const { walk, bad } = await walkChain(db, head)
  const firstBad = bad ?? checkTail(walk, head)
  const result = { ok: !firstBad, checked: walk.checked, unsealed, head }
  return firstBad ? { ...result, firstBad } : result
}

/** Verifies the sealed chain from one consistent snapshot (head and entries read together). */
export async function verifyAuditLog(db: Db): Promise<VerifyResult> {
  if (db.isTransaction) return verifyIn(db)
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute((trx) => verifyIn(trx))
}

/**
 * The sealer links committed, unsealed entries into the hash chain. Writers
 * never take a chain lock: their entries commit unsealed with their own
 * transaction, and a periodic job calls `sealAuditLog`, which serialises
 * only the sealers (one transaction-level advisory lock) and gives each entry
 * the next seq. A lower id may commit after a higher one; it simply gets a
 * later seq, because the chain order is the sealing order.
 */
import { sql } from 'kysely'
import type { Db } from '../db/database'
import { CONTENT_COLUMNS, entryHash, type EntryContent } from './audit.chain'

/** Advisory-lock key shared by every sealer of this database ("oqu" audit sealer). */
export const SEAL_LOCK_KEY = 0x6f71_7501

export interface SealOptions {
  /** Entries linked per transaction (default 500). */
  batchSize?: number
  /** Stop after this many batches (default: until nothing is left). */
  maxBatches?: number
}

export interface SealResult {
  sealed: number
  lastSeq: number
  lastHash: string
}

interface Link {
  id: string
  seq: number
  prevHash: string
  hash: string
}

/** Computes the chain fields for `rows`, continuing from the head. */
function link(rows: readonly EntryContent[], lastSeq: number, lastHash: string): Link[] {
  let seq = lastSeq
  let prevHash = lastHash
  return rows.map((row) => {
    seq += 1
    const hash = entryHash(row, prevHash, seq)
    const l = { id: String(row.id), seq, prevHash, hash }
    prevHash = hash
    return l
  })
}

async function sealBatch(trx: Db, batchSize: number, now: Date): Promise<SealResult> {
  await sql`SELECT pg_advisory_xact_lock(${SEAL_LOCK_KEY})`.execute(trx)
  // Read the head only after taking the lock, so a sealer that ran meanwhile is seen.
  const head = await trx
    .selectFrom('audit_chain_head')
    .select(['last_seq', 'last_hash'])
    .where('id', '=', true)
    .forUpdate()
    .executeTakeFirstOrThrow()
  // READ COMMITTED: only entries whose transactions have committed are visible.
  const rows = await trx
    .selectFrom('audit_log')
    .select(CONTENT_COLUMNS)
    .where('seq', 'is', null)
    .orderBy('id')
    .limit(batchSize)
    .execute()
  if (rows.length === 0) return { sealed: 0, lastSeq: Number(head.last_seq), lastHash: head.last_hash }
  const links = link(rows, Number(head.last_seq), head.last_hash)
  const values = sql.join(
    links.map((l) => sql`(${l.id}::bigint, ${l.seq}::bigint, ${l.prevHash}::text, ${l.hash}::text)`),
  )
  const updated = await sql`UPDATE audit_log AS a
    SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash, sealed_at = ${now}
    FROM (VALUES ${values}) AS v(id, seq, prev_hash, hash)
    WHERE a.id = v.id AND a.seq IS NULL`.execute(trx)
  // Under the lock nobody else seals; a shortfall means the table changed under us: roll back.
  if (Number(updated.numAffectedRows ?? 0) !== links.length)
    throw new Error('audit sealer: entries changed while sealing')
  const last = links[links.length - 1]!
  await trx
    .updateTable('audit_chain_head')
    .set({ last_seq: String(last.seq), last_hash: last.hash, updated_at: now })
    .where('id', '=', true)
    .execute()
  return { sealed: links.length, lastSeq: last.seq, lastHash: last.hash }
}

/** Seals committed entries in batches (each its own transaction); safe to run concurrently and to re-run. */
export async function sealAuditLog(db: Db, now: () => Date, options: SealOptions = {}): Promise<SealResult> {
  const batchSize = Math.max(1, options.batchSize ?? 500)
  const maxBatches = options.maxBatches ?? Number.POSITIVE_INFINITY
  // Inside a caller's transaction there is no way to commit per batch: seal one batch there.
  if (db.isTransaction) return sealBatch(db, batchSize, now())
  let total = 0
  let result: SealResult = { sealed: 0, lastSeq: 0, lastHash: '' }
  for (let batch = 0; batch < maxBatches; batch++) {
    result = await db.transaction().execute((trx) => sealBatch(trx, batchSize, now()))
    total += result.sealed
    if (result.sealed < batchSize) break
  }
  return { ...result, sealed: total }
}

/**
 * Master-key rotation without downtime. Field values stay as they are; only
 * the data keys are re-wrapped under the active master key, in small
 * batches, each its own transaction, so readers and writers carry on. Safe
 * to re-run: a batch only picks keys still under an old master key. Once
 * nothing is left under an old key, that key can leave the keyring.
 */
import { sql } from 'kysely'
import type { Db } from '../db/database'
import type { Keyring } from './crypto.keyring'
import { dekContext } from './crypto.subject-keys'

export interface RotationProgress {
  batch: number
  rewrapped: number
  remaining: number
}

export interface RotateOptions {
  /** Keys per transaction (default 100). */
  batchSize?: number
  onProgress?: (progress: RotationProgress) => void
  now?: () => Date
}

export interface RotationReport {
  activeKeyId: string
  rewrapped: number
  /** Live keys still under another master key after the run (0 when done). */
  remaining: number
  /** Live keys under master keys missing from the keyring, by key id: they cannot be re-wrapped. */
  unavailable: Record<string, number>
}

async function rewrapBatch(trx: Db, keyring: Keyring, batchSize: number, now: Date): Promise<number> {
  const old = keyring.ids().filter((id) => id !== keyring.activeId)
  if (old.length === 0) return 0
  const rows = await trx
    .selectFrom('subject_keys')
    .select(['subject_id', 'version', 'wrapped_key', 'kek_id'])
    .where('wrapped_key', 'is not', null)
    .where('kek_id', 'in', old)
    .orderBy('subject_id')
    .orderBy('version')
    .limit(batchSize)
    .forUpdate()
    .skipLocked()
    .execute()
  if (rows.length === 0) return 0
  const values = rows.map((r) => {
    const context = dekContext(r.subject_id, r.version)
    const dek = keyring.unwrap(r.kek_id!, r.wrapped_key!, context)
    const { kekId, wrapped } = keyring.wrap(dek, context)
    dek.fill(0)
    return sql`(${r.subject_id}::text, ${r.version}::integer, ${r.kek_id}::text, ${wrapped}::text, ${kekId}::text)`
  })
  const result = await sql`UPDATE subject_keys AS k
    SET wrapped_key = v.wrapped_key, kek_id = v.kek_id, rewrapped_at = ${now}
    FROM (VALUES ${sql.join(values)}) AS v(subject_id, version, old_kek_id, wrapped_key, kek_id)
    WHERE k.subject_id = v.subject_id AND k.version = v.version AND k.kek_id = v.old_kek_id
      AND k.wrapped_key IS NOT NULL`.execute(trx)
  return Number(result.numAffectedRows ?? 0)
}

/** Live keys not under the active master key, grouped by master key id. */
async function leftover(db: Db, activeId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('subject_keys')
    .select(['kek_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('wrapped_key', 'is not', null)
    .where('kek_id', '<>', activeId)
    .groupBy('kek_id')
    .execute()
  return new Map(rows.map((r) => [r.kek_id ?? '', Number(r.n)]))
}

const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0)

/** Re-wraps every data key under an old master key with the active one, batch by batch. */
export async function rotateKeys(db: Db, keyring: Keyring, options: RotateOptions = {}): Promise<RotationReport> {
  const batchSize = Math.max(1, options.batchSize ?? 100)
  const now = options.now ?? (() => new Date())
  let rewrapped = 0
  for (let batch = 1; ; batch++) {
    const n = await db.transaction().execute((trx) => rewrapBatch(trx, keyring, batchSize, now()))
    if (n === 0) break
    rewrapped += n
    options.onProgress?.({ batch, rewrapped, remaining: total(await leftover(db, keyring.activeId)) })
  }
  const left = await leftover(db, keyring.activeId)
  const unavailable = Object.fromEntries([...left].filter(([id]) => !keyring.has(id)))
  return { activeKeyId: keyring.activeId, rewrapped, remaining: total(left), unavailable }
}

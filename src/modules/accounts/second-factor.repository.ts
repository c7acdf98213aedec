/** SQL of the second factor: TOTP secrets and recovery codes. Every function takes the Db (or open transaction). */
import type { Db } from '../../platform/db/database'
import type { AccountTables } from './accounts.tables'

const tables = (db: Db) => db.withTables<AccountTables>()

export interface TotpFactorRow {
  secret_ciphertext: string
  created_at: Date
  confirmed_at: Date | null
  last_used_step: number | null
}

/** The account's TOTP factor (confirmed or still enrolling), if any. */
export async function findTotpFactor(db: Db, userId: string): Promise<TotpFactorRow | undefined> {
  const row = await tables(db)
    .selectFrom('totp_factors')
    .select(['secret_ciphertext', 'created_at', 'confirmed_at', 'last_used_step'])
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return row && { ...row, last_used_step: row.last_used_step === null ? null : Number(row.last_used_step) }
}

/** Stores a new, unconfirmed secret (replacing an unconfirmed one; never a confirmed one). */
export async function putPendingTotp(
  db: Db,
  row: { userId: string; secretCiphertext: string; now: Date },
): Promise<boolean> {
  const done = await tables(db)
    .insertInto('totp_factors')
    .values({
      user_id: row.userId,
      secret_ciphertext: row.secretCiphertext,
      created_at: row.now,
      confirmed_at: null,
      last_used_step: null,
    })
    .onConflict((oc) =>
      oc
        .column('user_id')
        .doUpdateSet({ secret_ciphertext: row.secretCiphertext, created_at: row.now })
        .where('totp_factors.confirmed_at', 'is', null),
    )
    .returning('user_id')
    .execute()
  return done.length > 0
}

/**
 * Spends a time step: records it as the newest used, only when it is newer
 * than the last one (a replayed code of the same step fails here, also
 * under concurrency). `confirm` also marks an enrolling factor confirmed.
 */
export async function useTotpStep(
  db: Db,
  use: { userId: string; step: number; now: Date; confirm: boolean },
): Promise<boolean> {
  let query = tables(db)
    .updateTable('totp_factors')
    .set(use.confirm ? { last_used_step: use.step, confirmed_at: use.now } : { last_used_step: use.step })
    .where('user_id', '=', use.userId)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', use.step)]))
  query = use.confirm ? query.where('confirmed_at', 'is', null) : query.where('confirmed_at', 'is not', null)
  const rows = await query.returning('user_id').execute()
  return rows.length > 0
}

/** Replaces the account's recovery codes with new ones (HMACs). */
export async function replaceRecoveryCodes(
  db: Db,
  input: { userId: string; codes: { id: string; codeHash: string }[]; now: Date },
): Promise<void> {
  await tables(db).deleteFrom('recovery_codes').where('user_id', '=', input.userId).execute()
  if (input.codes.length === 0) return
  await tables(db)
    .insertInto('recovery_codes')
    .values(
      input.codes.map((c) => ({
        id: c.id,
        user_id: input.userId,
        code_hash: c.codeHash,
        created_at: input.now,
        used_at: null,
      })),
    )
    .execute()
}

/** Spends an unused recovery code of the account; false when there is none with this hash. */
export async function useRecoveryCode(db: Db, use: { userId: string; codeHash: string; now: Date }): Promise<boolean> {
  const rows = await tables(db)
    .updateTable('recovery_codes')
    .set({ used_at: use.now })
    .where('user_id', '=', use.userId)
    .where('code_hash', '=', use.codeHash)
    .where('used_at', 'is', null)
    .returning('id')
    .execute()
  return rows.length > 0
}

/** How many unused recovery codes the account has. */
export async function countRecoveryCodes(db: Db, userId: string): Promise<number> {
  const row = await tables(db)
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Deletes the account's TOTP factor and recovery codes; returns whether there was a factor. */
export async function deleteSecondFactor(db: Db, userId: string): Promise<boolean> {
  await tables(db).deleteFrom('recovery_codes').where('user_id', '=', userId).execute()
  const rows = await tables(db).deleteFrom('totp_factors').where('user_id', '=', userId).returning('user_id').execute()
  return rows.length > 0
}

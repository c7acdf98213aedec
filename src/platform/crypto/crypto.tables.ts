/** Kysely table types for per-subject data keys (migration 0002-encryption-keys). */
import type { ColumnType } from 'kysely'

export interface SubjectKeysTable {
  subject_id: ColumnType<string, string, never>
  /** 1, 2, …: a subject may get a new data key; old values keep naming theirs. */
  version: ColumnType<number, number, never>
  /** The data key wrapped (AES-256-GCM) under the master key `kek_id`; null once destroyed. */
  wrapped_key: ColumnType<string | null, string | null, string | null>
  kek_id: ColumnType<string | null, string | null, string | null>
  created_at: ColumnType<Date, Date, never>
  rewrapped_at: ColumnType<Date | null, never, Date>
  destroyed_at: ColumnType<Date | null, Date | null, Date>
}

export interface KeyTables {
  subject_keys: SubjectKeysTable
}

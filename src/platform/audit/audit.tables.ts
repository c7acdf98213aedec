/** Kysely table types for the audit log (migration 0001-audit-log). */
import type { ColumnType, GeneratedAlways } from 'kysely'

export type ActorKind = 'user' | 'system' | 'anonymous'
export type AuditValue = string | number | boolean | null
export type AuditData = Record<string, AuditValue>

export interface AuditLogTable {
  /** bigint identity; the pg driver hands int8 back as a string. */
  id: GeneratedAlways<string>
  occurred_at: ColumnType<Date, Date, never>
  action: ColumnType<string, string, never>
  actor_kind: ColumnType<ActorKind, ActorKind, never>
  actor_id: ColumnType<string | null, string | null, never>
  subject_type: ColumnType<string | null, string | null, never>
  subject_id: ColumnType<string | null, string | null, never>
  target_type: ColumnType<string | null, string | null, never>
  target_id: ColumnType<string | null, string | null, never>
  request_id: ColumnType<string | null, string | null, never>
  ip: ColumnType<string | null, string | null, never>
  /** jsonb object; inserted as a JSON string. */
  data: ColumnType<AuditData, string, never>
  // Chain fields: null until the sealer links the entry into the chain.
  seq: ColumnType<string | null, never, string>
  prev_hash: ColumnType<string | null, never, string>
  hash: ColumnType<string | null, never, string>
  sealed_at: ColumnType<Date | null, never, Date>
}

/** One row (id = true): the last sealed seq and hash, so a truncated tail is detected. */
export interface AuditChainHeadTable {
  id: ColumnType<boolean, never, never>
  last_seq: ColumnType<string, never, string>
  last_hash: ColumnType<string, never, string>
  updated_at: ColumnType<Date, never, Date>
}

export interface AuditTables {
  audit_log: AuditLogTable
  audit_chain_head: AuditChainHeadTable
}

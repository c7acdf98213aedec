/** The `jobs` table as Kysely sees it (migration 0003-jobs). */
import type { ColumnType, Generated } from 'kysely'

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/** A job's payload: a JSON object carrying ids only, never personal data. */
export type JobPayload = { [key: string]: JsonValue }

export const JOB_STATES = ['pending', 'running', 'succeeded', 'failed', 'dead'] as const
/**
 * `pending` waits for its run_at; `running` is claimed by a worker; `succeeded`;
 * `failed` gave up at once (PermanentJobError); `dead` used all its attempts.
 */
export type JobState = (typeof JOB_STATES)[number]

export interface JobsTable {
  /** bigint identity, read as a string. */
  id: Generated<string>
  name: string
  /** Read as an object; written as JSON text cast to jsonb. */
  payload: ColumnType<JobPayload, string, string>
  state: Generated<JobState>
  attempts: Generated<number>
  max_attempts: number
  run_at: Date
  locked_at: Date | null
  locked_by: string | null
  last_error: string | null
  unique_key: string | null
  created_at: Date
  finished_at: Date | null
}

export interface JobTables {
  jobs: JobsTable
}

/**
 * The SQL of the job queue. Every "now" is a parameter from the injected
 * clock, never SQL now(), so tests travel in time. Updates of a claimed job
 * are guarded by (state, locked_by, attempts): a worker whose job was
 * reclaimed cannot overwrite what the next worker does with it.
 */
import { sql } from 'kysely'
import type { Db } from '../db/database'
import { JOB_STATES, type JobPayload, type JobState } from './jobs.tables'

/** A claimed job, as a worker sees it. */
export interface ClaimedJob {
  id: string
  name: string
  payload: JobPayload
  /** This attempt's number, 1-based. */
  attempts: number
  maxAttempts: number
  runAt: Date
  uniqueKey: string | null
  createdAt: Date
}

export interface NewJob {
  name: string
  payload: JobPayload
  runAt: Date
  createdAt: Date
  maxAttempts: number
  uniqueKey: string | null
}

/** Inserts a job; returns its id, or null when a live job with the same unique key already exists. */
export async function insertJob(db: Db, job: NewJob): Promise<string | null> {
  const row = await db
    .insertInto('jobs')
    .values({
      name: job.name,
      payload: JSON.stringify(job.payload),
      max_attempts: job.maxAttempts,
      run_at: job.runAt,
      unique_key: job.uniqueKey,
      created_at: job.createdAt,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id ?? null
}

interface ClaimRow {
  id: string
  name: string
  payload: JobPayload
  attempts: number
  max_attempts: number
  run_at: Date
  unique_key: string | null
  created_at: Date
}

/**
 * Claims up to `limit` due pending jobs among `names` for `workerId`. The
 * candidate rows are locked with SKIP LOCKED in a materialized CTE, so
 * concurrent workers each get different rows and the subquery runs once.
 */
export async function claimJobs(
  db: Db,
  args: { now: Date; workerId: string; limit: number; names: readonly string[] },
): Promise<ClaimedJob[]> {
  if (args.limit <= 0 || args.names.length === 0) return []
  const { rows } = await sql<ClaimRow>`
    WITH next AS MATERIALIZED (
      SELECT id FROM jobs
      WHERE state = 'pending' AND run_at <= ${args.now} AND name IN (${sql.join(args.names)})
      ORDER BY run_at, id
      FOR UPDATE SKIP LOCKED
      LIMIT ${args.limit}
    )
    UPDATE jobs SET state = 'running', locked_at = ${args.now}, locked_by = ${args.workerId},
      attempts = jobs.attempts + 1
    FROM next WHERE jobs.id = next.id
    RETURNING jobs.id, jobs.name, jobs.payload, jobs.attempts, jobs.max_attempts, jobs.run_at,
      jobs.unique_key, jobs.created_at
  `.execute(db)
  return rows
    .map((r) => ({
      id: r.id,
      name: r.name,
      payload: r.payload,
      attempts: r.attempts,
      maxAttempts: r.max_attempts,
      runAt: r.run_at,
      uniqueKey: r.unique_key,
      createdAt: r.created_at,
    }))
    .sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || Number(BigInt(a.id) - BigInt(b.id)))
}

/** The claim this worker holds on a job. */
export interface JobLock {
  id: string
  attempts: number
  workerId: string
}

/** Marks a claimed job succeeded; false when the claim was lost (the job was reclaimed). */
export async function markSucceeded(db: Db, lock: JobLock, now: Date): Promise<boolean> {
  const res = await db
    .updateTable('jobs')
    .set({ state: 'succeeded', finished_at: now, last_error: null })
    .where('id', '=', lock.id)
    .where('state', '=', 'running')
    .where('locked_by', '=', lock.workerId)
    .where('attempts', '=', lock.attempts)
    .executeTakeFirst()
  return res.numUpdatedRows > 0n
}

/** What becomes of a job whose attempt did not succeed. */
export type FailureOutcome =
  { state: 'pending'; runAt: Date; error: string } | { state: 'failed' | 'dead'; error: string }

/** Records a failed (or interrupted) attempt; false when the claim was lost. */
export async function markFailed(db: Db, lock: JobLock, outcome: FailureOutcome, now: Date): Promise<boolean> {
  const retry = outcome.state === 'pending'
  const res = await db
    .updateTable('jobs')
    .set({
      state: outcome.state,
      last_error: outcome.error,
      ...(retry ? { run_at: outcome.runAt, locked_at: null, locked_by: null } : { finished_at: now }),
    })
    .where('id', '=', lock.id)
    .where('state', '=', 'running')
    .where('locked_by', '=', lock.workerId)
    .where('attempts', '=', lock.attempts)
    .executeTakeFirst()
  return res.numUpdatedRows > 0n
}

/**
 * Frees jobs left `running` longer than the lock timeout (their worker crashed
 * or hung): back to `pending` at once, or `dead` when no attempt is left.
 */
export async function reclaimStuckJobs(
  db: Db,
  args: { now: Date; lockTimeoutMs: number },
): Promise<{ id: string; name: string; state: JobState }[]> {
  const cutoff = new Date(args.now.getTime() - args.lockTimeoutMs)
  const { rows } = await sql<{ id: string; name: string; state: JobState }>`
    UPDATE jobs SET
      state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'pending' END,
      finished_at = CASE WHEN attempts >= max_attempts THEN ${args.now}::timestamptz ELSE NULL END,
      run_at = ${args.now}, locked_at = NULL, locked_by = NULL,
      last_error = 'Lock expired: the worker stopped before finishing this attempt'
    WHERE state = 'running' AND locked_at < ${cutoff}
    RETURNING id, name, state
  `.execute(db)
  return rows
}

/** Counts jobs per state (every state present, zero when none). */
export async function countJobsByState(db: Db): Promise<Record<JobState, number>> {
  const rows = await db
    .selectFrom('jobs')
    .select(['state', (eb) => eb.fn.countAll<string>().as('count')])
    .groupBy('state')
    .execute()
  const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>
  for (const r of rows) counts[r.state] = Number(r.count)
  return counts
}

/** Deletes succeeded, failed and dead jobs that finished before `before`; returns how many. */
export async function purgeFinishedJobs(db: Db, before: Date): Promise<number> {
  const res = await db
    .deleteFrom('jobs')
    .where('state', 'in', ['succeeded', 'failed', 'dead'])
    .where('finished_at', '<', before)
    .executeTakeFirst()
  return Number(res.numDeletedRows)
}

/**
 * Runs one claimed job: builds its Ctx, runs the handler (by default inside a
 * transaction that also marks the job succeeded, so the handler's writes and
 * "done" commit together), enforces the timeout, and records the outcome.
 */
import type { Clock } from '../clock'
import { systemCtx, type Ctx } from '../context'
import type { Db } from '../db/database'
import type { Logger } from '../logger'
import {
  JobInterruptedError,
  JobLockLostError,
  JobTimeoutError,
  PermanentJobError,
  backoffMs,
  safeErrorMessage,
} from './job-errors'
import { markFailed, markSucceeded, type ClaimedJob, type FailureOutcome, type JobLock } from './jobs.repository'
import type { JobPayload } from './jobs.tables'

/** What a handler learns about the job it runs. */
export interface JobInfo {
  id: string
  name: string
  /** This attempt's number, 1-based. */
  attempt: number
  maxAttempts: number
  runAt: Date
  createdAt: Date
  uniqueKey: string | null
  /** Aborted when the attempt times out or the worker stops; long handlers should check it. */
  signal: AbortSignal
}

/** A job handler. `ctx.db` is the job's transaction unless the job was registered with `transaction: false`. */
export type JobHandler<P extends JobPayload = JobPayload> = (ctx: Ctx, payload: P, job: JobInfo) => Promise<void>

export interface HandlerOptions {
  maxAttempts: number
  timeoutMs: number
  /** Run the handler in a transaction that commits together with marking the job succeeded. */
  transaction: boolean
}

export interface RegisteredJob {
  handler: JobHandler
  options: HandlerOptions
}

/** `retry`: back to pending after a backoff; `lost`: the job was reclaimed from this worker, or the outcome could not be stored. */
export type JobOutcome = 'succeeded' | 'retry' | 'failed' | 'dead' | 'interrupted' | 'lost'

export interface JobResult {
  id: string
  name: string
  outcome: JobOutcome
  error?: string
}

export interface RunnerDeps {
  db: Db
  clock: Clock
  logger: Logger
  random: () => number
}

/** A job in flight: `interrupt()` gives up on it (worker stopping); `done` settles with its result. */
export interface RunningJob {
  id: string
  done: Promise<JobResult>
  interrupt(): void
}

/** Starts running a claimed job for `workerId`. */
export function runJob(deps: RunnerDeps, registered: RegisteredJob, job: ClaimedJob, workerId: string): RunningJob {
  const controller = new AbortController()
  let rejectInterrupt: (err: Error) => void = () => {}
  const interrupted = new Promise<never>((_, reject) => {
    rejectInterrupt = reject
  })
  interrupted.catch(() => {})
  const guard = <T>(work: Promise<T>): Promise<T> =>
    withTimeout(Promise.race([work, interrupted]), registered.options.timeoutMs, controller)
  const done = execute(deps, registered, job, { id: job.id, attempts: job.attempts, workerId }, controller, guard)
  return {
    id: job.id,
    done,
    interrupt() {
      const err = new JobInterruptedError('The worker stopped before this attempt finished')
      rejectInterrupt(err) // first, so the attempt counts as interrupted even if the handler ends on abort
      controller.abort(err)
    },
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number, controller: AbortController): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new JobTimeoutError(`Timed out after ${ms} ms`)
      reject(err)
      controller.abort(err)
    }, ms)
  })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}

async function execute(
  deps: RunnerDeps,
  registered: RegisteredJob,
  job: ClaimedJob,
  lock: JobLock,
  controller: AbortController,
  guard: <T>(work: Promise<T>) => Promise<T>,
): Promise<JobResult> {
  const requestId = `job-${job.id}-${job.attempts}`
  const log = deps.logger.child({ jobId: job.id, job: job.name, attempt: job.attempts, requestId })
  const info: JobInfo = {
    id: job.id,
    name: job.name,
    attempt: job.attempts,
    maxAttempts: job.maxAttempts,
    runAt: job.runAt,
    createdAt: job.createdAt,
    uniqueKey: job.uniqueKey,
    signal: controller.signal,
  }
  const run = (db: Db) => guard(registered.handler(systemCtx(db, deps.clock, requestId), job.payload, info))
  try {
    if (registered.options.transaction) {
      await runInTransaction(deps, lock, run)
    } else {
      await run(deps.db)
      if (!(await markSucceeded(deps.db, lock, deps.clock.now()))) throw lockLost()
    }
    log.debug('job succeeded')
    return { id: job.id, name: job.name, outcome: 'succeeded' }
  } catch (err) {
    return recordFailure(deps, job, lock, err, log)
  }
}

const lockLost = () => new JobLockLostError('The job was reclaimed by another worker before this attempt finished')

// A controlled transaction: once rolled back (e.g. after a timeout), any late
// query from the handler fails instead of running outside the transaction.
async function runInTransaction(deps: RunnerDeps, lock: JobLock, run: (db: Db) => Promise<void>): Promise<void> {
  const trx = await deps.db.startTransaction().execute()
  try {
    await run(trx)
    if (!(await markSucceeded(trx, lock, deps.clock.now()))) throw lockLost()
    await trx.commit().execute()
  } catch (err) {
    await trx
      .rollback()
      .execute()
      .catch(() => {})
    throw err
  }
}

function failureOutcome(deps: RunnerDeps, job: ClaimedJob, err: unknown, error: string): FailureOutcome {
  const now = deps.clock.now()
  if (err instanceof JobInterruptedError) return { state: 'pending', runAt: now, error }
  if (err instanceof PermanentJobError) return { state: 'failed', error }
  if (job.attempts >= job.maxAttempts) return { state: 'dead', error }
  return { state: 'pending', runAt: new Date(now.getTime() + backoffMs(job.attempts, deps.random)), error }
}

async function recordFailure(
  deps: RunnerDeps,
  job: ClaimedJob,
  lock: JobLock,
  err: unknown,
  log: Logger,
): Promise<JobResult> {
  const error = safeErrorMessage(err)
  const result = (outcome: JobOutcome): JobResult => ({ id: job.id, name: job.name, outcome, error })
  if (err instanceof JobLockLostError) {
    log.warn({ err: error }, 'job lost its lock; its transaction was rolled back')
    return result('lost')
  }
  const outcome = failureOutcome(deps, job, err, error)
  try {
    if (!(await markFailed(deps.db, lock, outcome, deps.clock.now()))) return result('lost')
  } catch (storeErr) {
    log.error({ err: safeErrorMessage(storeErr) }, 'could not record the job failure; it will be reclaimed')
    return result('lost')
  }
  const kind: JobOutcome =
    err instanceof JobInterruptedError ? 'interrupted' : outcome.state === 'pending' ? 'retry' : outcome.state
  if (kind === 'dead' || kind === 'failed') log.error({ err: error }, `job ${kind}`)
  else log.warn({ err: error, ...(outcome.state === 'pending' ? { retryAt: outcome.runAt } : {}) }, `job ${kind}`)
  return result(kind)
}

/**
 * The durable job queue: handlers are registered by name, jobs are enqueued
 * inside the caller's transaction (a job exists only if the work that wanted
 * it committed), workers claim due jobs with FOR UPDATE SKIP LOCKED, retry
 * with backoff, and cron schedules enqueue each slot once across processes.
 */
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { Kysely } from 'kysely'
import type { Clock } from '../clock'
import type { Db } from '../db/database'
import type { Logger } from '../logger'
import { safeErrorMessage } from './job-errors'
import {
  claimJobs,
  countJobsByState,
  insertJob,
  purgeFinishedJobs,
  reclaimStuckJobs,
  type ClaimedJob,
} from './jobs.repository'
import type { JobPayload, JobState } from './jobs.tables'
import { runJob, type HandlerOptions, type JobHandler, type JobResult, type RegisteredJob } from './runner'
import { CRON_KEY_PREFIX, DEFAULT_TIMEZONE, createScheduler, type ScheduleInfo } from './scheduler'
import { startWorkerLoop, type WorkerLoop } from './worker-loop'

/** Any Kysely handle on the Oqu database: the root, a transaction, or a module's `withTables<…>()` view. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type DbHandle = Kysely<any>

export interface JobQueueDeps {
  db: Db
  clock: Clock
  logger: Logger
  /** A `running` job whose lock is older than this is taken back (its worker died). Default 30 min. */
  lockTimeoutMs?: number
  /** Identifies this process in `locked_by`; default `<host>:<pid>:<random>`. */
  workerId?: string
  /** Jitter source for retry backoff (tests pin it). */
  random?: () => number
}

export interface RegisterOptions {
  /** Default 5. */
  maxAttempts?: number
  /** Default 5 min; must stay below the queue's lock timeout. */
  timeoutMs?: number
  /** Default true: the handler's `ctx.db` is a transaction that commits with "succeeded". Set false for handlers that commit in batches themselves. */
  transaction?: boolean
}

export interface EnqueueOptions {
  /** Default: now (the clock's). */
  runAt?: Date
  /** While a pending or running job has this key, enqueueing another with it does nothing. */
  uniqueKey?: string
  /** Default: the registered value. */
  maxAttempts?: number
}

/** Something naming a job; a JobDefinition carries its payload type so `enqueue` can check the payload. */
export interface JobRef<P extends JobPayload = JobPayload> {
  readonly name: string
  /** Type-level only. */
  readonly __payload?: P
}

export interface JobQueue {
  /** Registers the handler of job `name` (verb-object, kebab-case). */
  register<P extends JobPayload>(name: string, handler: JobHandler<P>, options?: RegisterOptions): void
  /** Enqueues a job on `db` (pass the caller's transaction); returns its id, or null when collapsed into a live job with the same unique key. */
  enqueue<P extends JobPayload>(
    db: DbHandle,
    job: string | JobRef<P>,
    payload: NoInfer<P>,
    options?: EnqueueOptions,
  ): Promise<string | null>
  /** Runs registered job `name` on a cron expression, in `timezone` (default Asia/Almaty). */
  schedule(name: string, cron: string, options?: { timezone?: string }): void
  /** Enqueues the next slot of every schedule; returns how many jobs were created. */
  tickSchedules(): Promise<number>
  /** Takes back jobs whose worker stopped (lock older than the lock timeout); returns how many. */
  reclaimStuck(): Promise<number>
  /** Ticks schedules, reclaims stuck jobs, then claims up to `limit` due jobs and runs them to completion. */
  runOnce(options?: { workerId?: string; limit?: number }): Promise<JobResult[]>
  /** Starts polling in the background. */
  start(options?: { concurrency?: number; pollIntervalMs?: number }): void
  /** Stops polling and waits for running handlers (up to `timeoutMs`, default 30 s). */
  stop(options?: { timeoutMs?: number }): Promise<void>
  /** Job counts per state. */
  stats(db?: DbHandle): Promise<Record<JobState, number>>
  /** Deletes finished jobs older than `before`; returns how many. */
  purgeFinished(before: Date): Promise<number>
  /** Registered job names. */
  names(): string[]
  schedules(): ScheduleInfo[]
  readonly workerId: string
}

export const JOB_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/
const DEFAULT_LOCK_TIMEOUT_MS = 30 * 60_000
const DEFAULT_TIMEOUT_MS = 5 * 60_000
const DEFAULT_MAX_ATTEMPTS = 5

/** Creates a job queue over `db`; nothing runs until `start()` or `runOnce()`. */
export function createJobQueue(deps: JobQueueDeps): JobQueue {
  const { db, clock, logger } = deps
  const lockTimeoutMs = deps.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS
  const workerId = deps.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
  const runner = { db, clock, logger, random: deps.random ?? Math.random }
  const handlers = new Map<string, RegisteredJob>()
  const registered = (name: string): RegisteredJob => {
    const found = handlers.get(name)
    if (!found) throw new Error(`No handler is registered for job "${name}"`)
    return found
  }
  const scheduler = createScheduler({ db, logger, maxAttempts: (name) => registered(name).options.maxAttempts })
  let loop: WorkerLoop | null = null

  const reclaimStuck = async () => {
    const rows = await reclaimStuckJobs(db, { now: clock.now(), lockTimeoutMs })
    if (rows.length > 0) logger.warn({ jobs: rows }, 'reclaimed jobs whose worker stopped')
    return rows.length
  }
  const housekeeping = async () => {
    await scheduler.tick(clock.now())
    await reclaimStuck()
  }
  const claim = (limit: number, id: string) =>
    claimJobs(db, { now: clock.now(), workerId: id, limit, names: [...handlers.keys()] })
  const run = (job: ClaimedJob, id: string) => runJob(runner, registered(job.name), job, id)

  return {
    workerId,
    register(name, handler, options = {}) {
      if (handlers.has(name)) throw new Error(`Job "${name}" is already registered`)
      handlers.set(name, { handler: handler as JobHandler, options: handlerOptions(name, options, lockTimeoutMs) })
    },
    async enqueue(target, job, payload, options = {}) {
      const name = typeof job === 'string' ? job : job.name
      const def = registered(name)
      checkEnqueue(name, payload, options)
      const now = clock.now()
      return insertJob(target as Db, {
        name,
        payload,
        runAt: options.runAt ?? now,
        createdAt: now,
        maxAttempts: options.maxAttempts ?? def.options.maxAttempts,
        uniqueKey: options.uniqueKey ?? null,
      })
    },
    schedule(name, cron, options = {}) {
      registered(name)
      scheduler.add(name, cron, options.timezone ?? DEFAULT_TIMEZONE)
    },
    tickSchedules: () => scheduler.tick(clock.now()),
    reclaimStuck,
    async runOnce(options = {}) {
      const id = options.workerId ?? workerId
      await housekeeping()
      const jobs = await claim(options.limit ?? 10, id)
      return Promise.all(jobs.map((job) => run(job, id).done))
    },
    start(options = {}) {
      if (loop) throw new Error('The job queue is already started')
      const concurrency = options.concurrency ?? 4
      const pollIntervalMs = options.pollIntervalMs ?? 1_000
      loop = startWorkerLoop(
        { logger, housekeeping, claim: (limit) => claim(limit, workerId), run: (job) => run(job, workerId) },
        { concurrency, pollIntervalMs },
      )
      logger.info({ workerId, concurrency, pollIntervalMs, jobs: [...handlers.keys()] }, 'job worker started')
    },
    async stop(options = {}) {
      if (!loop) return
      const current = loop
      loop = null
      try {
        await current.stop(options.timeoutMs ?? 30_000)
      } catch (err) {
        logger.error({ err: safeErrorMessage(err) }, 'job worker did not stop cleanly')
      }
      logger.info({ workerId }, 'job worker stopped')
    },
    stats: (target = db) => countJobsByState(target as Db),
    purgeFinished: (before) => purgeFinishedJobs(db, before),
    names: () => [...handlers.keys()],
    schedules: () => scheduler.list(),
  }
}

function handlerOptions(name: string, options: RegisterOptions, lockTimeoutMs: number): HandlerOptions {
  if (!JOB_NAME_PATTERN.test(name)) throw new Error(`Job name "${name}" must be verb-object kebab-case`)
  const timeoutMs = options.timeoutMs ?? Math.min(DEFAULT_TIMEOUT_MS, lockTimeoutMs / 2)
  if (timeoutMs >= lockTimeoutMs) throw new Error(`Job "${name}": timeoutMs must be below the lock timeout`)
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error(`Job "${name}": maxAttempts must be ≥ 1`)
  return { maxAttempts, timeoutMs, transaction: options.transaction ?? true }
}

function checkEnqueue(name: string, payload: unknown, options: EnqueueOptions): void {
  if (options.uniqueKey?.startsWith(CRON_KEY_PREFIX)) throw new Error('Unique keys starting "cron:" are reserved')
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new Error(`Job "${name}": the payload must be a JSON object`)
  }
  if (options.maxAttempts !== undefined && (!Number.isInteger(options.maxAttempts) || options.maxAttempts < 1)) {
    throw new Error(`Job "${name}": maxAttempts must be ≥ 1`)
  }
}

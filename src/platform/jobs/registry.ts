/**
 * Job definitions: each module exports its jobs (in `*.jobs.ts`) as a list of
 * `defineJob(...)` values; the composition root concatenates the lists and
 * hands them to `buildJobRegistry`, in the web process (to enqueue, and to run
 * them inline in embedded mode) and in the worker alike.
 */
import { purgeFinishedJobs } from './jobs.repository'
import type { JobPayload } from './jobs.tables'
import type { JobQueue, JobRef, RegisterOptions } from './queue'
import type { JobHandler } from './runner'

export interface JobDefinition<P extends JobPayload = JobPayload> extends JobRef<P>, RegisterOptions {
  /** Verb-object, kebab-case: `seal-audit-log`. */
  readonly name: string
  readonly handler: JobHandler<P>
  /** Run on this cron expression (croner syntax, 5 or 6 fields). Scheduled runs get `{ scheduledFor }` as payload. */
  readonly cron?: string
  /** Time zone of `cron`; default Asia/Almaty. */
  readonly timezone?: string
}

/** Declares a job (typed helper: `enqueue(trx, definition, payload)` then checks the payload type). */
export function defineJob<P extends JobPayload>(definition: JobDefinition<P>): JobDefinition<P> {
  return definition
}

/** A list of job definitions of any payload types (what a module's `*.jobs.ts` exports). */
export type JobDefinitions = readonly JobDefinition<any>[] // eslint-disable-line @typescript-eslint/no-explicit-any

export interface JobRegistry {
  names: string[]
  scheduled: { name: string; cron: string; timezone: string | undefined }[]
}

/** Registers every definition on `queue` and sets up the cron ones; throws on a duplicate name. */
export function buildJobRegistry(queue: JobQueue, definitions: JobDefinitions): JobRegistry {
  const registry: JobRegistry = { names: [], scheduled: [] }
  for (const def of definitions) {
    const { name, handler, cron, timezone, maxAttempts, timeoutMs, transaction } = def
    queue.register(name, handler, { maxAttempts, timeoutMs, transaction })
    registry.names.push(name)
    if (cron !== undefined) {
      queue.schedule(name, cron, timezone === undefined ? {} : { timezone })
      registry.scheduled.push({ name, cron, timezone })
    }
  }
  return registry
}

/** The queue's own housekeeping: every night at 03:30 (Almaty), deletes jobs finished more than `retentionDays` ago. */
export function queueHousekeepingJobs(retentionDays = 30): JobDefinitions {
  return [
    defineJob({
      name: 'purge-finished-jobs',
      cron: '30 3 * * *',
      handler: async (ctx) => {
        await purgeFinishedJobs(ctx.db, new Date(ctx.now.getTime() - retentionDays * 86_400_000))
      },
    }),
  ]
}

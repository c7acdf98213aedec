/**
 * Cron schedules. Each tick enqueues every schedule's next slot ahead of time
 * as a pending job with the unique key `cron:<name>:<slot instant>`; a unique
 * index over that key (whatever the job's state) makes every process that
 * ticks agree on one row per slot, so a slot is created and run once.
 * A slot that fell while no process was ticking is not caught up.
 */
import { Cron } from 'croner'
import type { Db } from '../db/database'
import type { Logger } from '../logger'
import { insertJob } from './jobs.repository'

export const DEFAULT_TIMEZONE = 'Asia/Almaty'
export const CRON_KEY_PREFIX = 'cron:'

/** The unique key of one slot of a schedule. */
export function cronSlotKey(name: string, slot: Date): string {
  return `${CRON_KEY_PREFIX}${name}:${slot.toISOString()}`
}

export interface ScheduleInfo {
  name: string
  expression: string
  timezone: string
}

export interface Scheduler {
  /** Adds a schedule; throws on an invalid expression or time zone, or a second schedule for one name. */
  add(name: string, expression: string, timezone: string): void
  /** Enqueues each schedule's next slot after `now` (once per slot per process); returns how many rows were created. */
  tick(now: Date): Promise<number>
  list(): ScheduleInfo[]
}

interface Entry extends ScheduleInfo {
  cron: Cron
  /** The last slot this process enqueued (or found enqueued). */
  lastSlot: number | null
}

/** Creates the scheduler; `maxAttempts(name)` gives the registered job's attempt limit. */
export function createScheduler(deps: { db: Db; logger: Logger; maxAttempts: (name: string) => number }): Scheduler {
  const entries = new Map<string, Entry>()
  return {
    add(name, expression, timezone) {
      if (entries.has(name)) throw new Error(`Job "${name}" already has a schedule`)
      if (!isTimeZone(timezone)) throw new Error(`Unknown time zone "${timezone}" for job "${name}"`)
      const cron = new Cron(expression, { timezone })
      if (cron.nextRun(new Date()) === null) throw new Error(`Schedule "${expression}" of job "${name}" never runs`)
      entries.set(name, { name, expression, timezone, cron, lastSlot: null })
    },
    async tick(now) {
      let created = 0
      for (const entry of entries.values()) {
        const slot = entry.cron.nextRun(now)
        if (slot === null || slot.getTime() === entry.lastSlot) continue
        const id = await insertJob(deps.db, {
          name: entry.name,
          payload: { scheduledFor: slot.toISOString() },
          runAt: slot,
          createdAt: now,
          maxAttempts: deps.maxAttempts(entry.name),
          uniqueKey: cronSlotKey(entry.name, slot),
        })
        entry.lastSlot = slot.getTime()
        if (id !== null) {
          created++
          deps.logger.debug({ job: entry.name, jobId: id, slot }, 'scheduled job enqueued')
        }
      }
      return created
    },
    list: () => [...entries.values()].map(({ name, expression, timezone }) => ({ name, expression, timezone })),
  }
}

function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone })
    return true
  } catch {
    return false
  }
}

/**
 * The polling loop of a running worker: keeps up to `concurrency` jobs in
 * flight, claims more as slots free up, sleeps `pollIntervalMs` when nothing
 * is due, and stops gracefully (no new claims; waits for handlers, then
 * interrupts those still running so their jobs go back to pending).
 */
import type { Logger } from '../logger'
import { safeErrorMessage } from './job-errors'
import type { ClaimedJob } from './jobs.repository'
import type { RunningJob } from './runner'

export interface WorkerLoopDeps {
  logger: Logger
  /** Schedules and stuck-job reclaim; run at most once per poll interval. */
  housekeeping(): Promise<void>
  claim(limit: number): Promise<ClaimedJob[]>
  run(job: ClaimedJob): RunningJob
}

export interface WorkerLoop {
  /** Jobs in flight now. */
  active(): number
  /** Stops claiming, waits up to `timeoutMs` for running handlers, then interrupts the rest. */
  stop(timeoutMs: number): Promise<void>
}

const INTERRUPT_GRACE_MS = 5_000

/** Starts the loop; it runs until `stop()`. */
export function startWorkerLoop(
  deps: WorkerLoopDeps,
  options: { concurrency: number; pollIntervalMs: number },
): WorkerLoop {
  const inFlight = new Map<string, RunningJob>()
  const sleeper = createSleeper()
  let stopping = false
  let lastHousekeeping = 0

  async function iteration(): Promise<number> {
    if (Date.now() - lastHousekeeping >= options.pollIntervalMs) {
      lastHousekeeping = Date.now()
      await deps.housekeeping()
    }
    const free = options.concurrency - inFlight.size
    if (free <= 0) return 0
    const jobs = await deps.claim(free)
    for (const job of jobs) {
      const running = deps.run(job)
      inFlight.set(job.id, running)
      void running.done.finally(() => {
        inFlight.delete(job.id)
        sleeper.wake()
      })
    }
    return jobs.length
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      let claimed = 0
      let failed = false
      try {
        claimed = await iteration()
      } catch (err) {
        failed = true
        deps.logger.error({ err: safeErrorMessage(err) }, 'job worker iteration failed')
      }
      if (stopping) break
      const full = inFlight.size >= options.concurrency
      if (failed) await sleeper.sleep(Math.max(options.pollIntervalMs, 1_000))
      else if (claimed === 0 || full) await sleeper.sleep(options.pollIntervalMs)
    }
  }

  const looping = loop()
  return {
    active: () => inFlight.size,
    async stop(timeoutMs) {
      stopping = true
      sleeper.wake()
      await looping
      const all = () => Promise.allSettled([...inFlight.values()].map((r) => r.done))
      if (await settlesWithin(all(), timeoutMs)) return
      deps.logger.warn({ jobs: [...inFlight.keys()] }, 'interrupting jobs still running at shutdown')
      for (const running of inFlight.values()) running.interrupt()
      await settlesWithin(all(), INTERRUPT_GRACE_MS)
    },
  }
}

async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms)
  })
  try {
    return await Promise.race([work.then(() => true), timeout])
  } finally {
    clearTimeout(timer)
  }
}

function createSleeper() {
  let wakeUp: (() => void) | null = null
  return {
    sleep(ms: number): Promise<void> {
      return new Promise((resolve) => {
        const timer = setTimeout(done, ms)
        function done() {
          clearTimeout(timer)
          wakeUp = null
          resolve()
        }
        wakeUp = done
      })
    },
    wake() {
      wakeUp?.()
    },
  }
}

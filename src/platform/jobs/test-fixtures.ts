/** Shared fixtures for the job queue tests. */
import { createTestClock, type TestClock } from '../clock'
import type { Db } from '../db/database'
import { createLogger } from '../logger'
import { createJobQueue, type JobQueue, type JobQueueDeps } from './queue'

export const LOCK_TIMEOUT_MS = 10 * 60_000

/** A queue on `db` with a frozen test clock, a silent logger and no backoff jitter. */
export function testQueue(
  db: Db,
  options: Partial<JobQueueDeps> & { clock?: TestClock } = {},
): { queue: JobQueue; clock: TestClock } {
  const clock = options.clock ?? createTestClock()
  const queue = createJobQueue({
    db,
    clock,
    logger: createLogger('silent'),
    lockTimeoutMs: LOCK_TIMEOUT_MS,
    random: () => 0,
    workerId: 'test-worker',
    ...options,
  })
  return { queue, clock }
}

/** Reads one job row. */
export function jobRow(db: Db, id: string) {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

/** Resolves when `check()` is true; fails after `ms`. */
export async function eventually(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

import assert from 'node:assert/strict'
import { beforeEach, it } from 'node:test'
import { sql } from 'kysely'
import { describeEachDatabase } from '../../../test/database'
import type { Ctx } from '../context'
import { PermanentJobError, backoffMs, safeErrorMessage } from './job-errors'
import type { JobInfo } from './runner'
import { jobRow, testQueue } from './test-fixtures'

describeEachDatabase('job queue', (get) => {
  beforeEach(async () => {
    await get().db.deleteFrom('jobs').execute()
  })

  it('runs an enqueued job once, with a system Ctx at the clock’s now', async () => {
    const { db } = get()
    const { queue, clock } = testQueue(db)
    const seen: { ctx: Ctx; payload: unknown; job: JobInfo }[] = []
    queue.register('send-test-mail', async (ctx, payload, job) => {
      seen.push({ ctx, payload, job })
    })
    const id = await queue.enqueue(db, 'send-test-mail', { userId: 'u-1' })
    assert.ok(id)
    const results = await queue.runOnce()
    assert.deepEqual(results, [{ id, name: 'send-test-mail', outcome: 'succeeded' }])
    assert.equal(seen.length, 1)
    assert.deepEqual(seen[0]?.payload, { userId: 'u-1' })
    assert.equal(seen[0]?.ctx.actor?.kind, 'system')
    assert.equal(seen[0]?.ctx.now.getTime(), clock.now().getTime())
    assert.equal(seen[0]?.job.attempt, 1)
    const row = await jobRow(db, id)
    assert.equal(row.state, 'succeeded')
    assert.equal(row.attempts, 1)
    assert.equal(row.finished_at?.getTime(), clock.now().getTime())
    assert.deepEqual(await queue.runOnce(), [])
  })

  it('does not run a job before its runAt', async () => {
    const { db } = get()
    const { queue, clock } = testQueue(db)
    let runs = 0
    queue.register('remind-learner', async () => void runs++)
    await queue.enqueue(db, 'remind-learner', {}, { runAt: new Date(clock.now().getTime() + 60_000) })
    assert.deepEqual(await queue.runOnce(), [])
    clock.advance(60_000)
    assert.equal((await queue.runOnce()).length, 1)
    assert.equal(runs, 1)
  })

  it('enqueues inside the caller’s transaction: a rolled-back transaction leaves no job', async () => {
    const { db } = get()
    const { queue } = testQueue(db)
    queue.register('index-course', async () => {})
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await queue.enqueue(trx, 'index-course', { courseId: 'c-1' })
        throw new Error('the work failed')
      }),
    )
    assert.equal((await queue.stats()).pending, 0)
    await db.transaction().execute((trx) => queue.enqueue(trx, 'index-course', { courseId: 'c-1' }).then(() => {}))
    assert.equal((await queue.stats()).pending, 1)
  })

  it('refuses unknown job names, bad names and non-object payloads', async () => {
    const { db } = get()
    const { queue } = testQueue(db)
    assert.throws(() => queue.register('Seal', async () => {}), /verb-object/)
    await assert.rejects(queue.enqueue(db, 'seal-audit-log', {}), /No handler/)
    queue.register('seal-audit-log', async () => {})
    await assert.rejects(queue.enqueue(db, 'seal-audit-log', [] as never), /JSON object/)
    await assert.rejects(queue.enqueue(db, 'seal-audit-log', {}, { uniqueKey: 'cron:x' }), /reserved/)
  })

  it('retries a failed job only after its backoff, then succeeds', async () => {
    const { db } = get()
    const { queue, clock } = testQueue(db)
    let calls = 0
    queue.register('sync-college-list', async () => {
      calls++
      if (calls === 1) throw new Error('upstream unavailable')
    })
    const id = (await queue.enqueue(db, 'sync-college-list', {}))!
    assert.equal((await queue.runOnce())[0]?.outcome, 'retry')
    const failed = await jobRow(db, id)
    assert.equal(failed.state, 'pending')
    assert.equal(failed.last_error, 'Error: upstream unavailable')
    assert.equal(
      failed.run_at.getTime() - clock.now().getTime(),
      backoffMs(1, () => 0),
    )
    clock.advance(backoffMs(1, () => 0) - 1_000)
    assert.deepEqual(await queue.runOnce(), [])
    clock.advance(1_000)
    assert.equal((await queue.runOnce())[0]?.outcome, 'succeeded')
    assert.equal(calls, 2)
    assert.equal((await jobRow(db, id)).attempts, 2)
  })

  it('backs off exponentially with jitter, capped at one hour', () => {
    assert.equal(
      backoffMs(1, () => 0),
      20_000,
    )
    assert.equal(
      backoffMs(3, () => 0),
      80_000,
    )
    assert.equal(
      backoffMs(1, () => 1),
      16_000,
    )
    assert.equal(
      backoffMs(20, () => 0),
      3_600_000,
    )
    assert.equal(
      backoffMs(500, () => 0),
      3_600_000,
    )
  })

  it('marks a job dead after maxAttempts, and failed at once on PermanentJobError', async () => {
    const { db } = get()
    const { queue, clock } = testQueue(db)
    queue.register(
      'render-certificate',
      async () => {
        throw new Error('font missing')
      },
      { maxAttempts: 3 },
    )
    queue.register('refund-order', async () => {
      throw new PermanentJobError('order does not exist')
    })
    const id = (await queue.enqueue(db, 'render-certificate', {}))!
    const refund = (await queue.enqueue(db, 'refund-order', { orderId: 'o-1' }))!
    const outcomes: string[] = []
    for (let i = 0; i < 4; i++) {
      for (const r of await queue.runOnce()) outcomes.push(`${r.name}:${r.outcome}`)
      clock.advance(3_600_000)
    }
    assert.deepEqual(outcomes, [
      'render-certificate:retry',
      'refund-order:failed',
      'render-certificate:retry',
      'render-certificate:dead',
    ])
    const dead = await jobRow(db, id)
    assert.equal(dead.state, 'dead')
    assert.equal(dead.attempts, 3)
    assert.ok(dead.finished_at)
    assert.equal((await jobRow(db, refund)).state, 'failed')
    assert.deepEqual(await queue.stats(), { pending: 0, running: 0, succeeded: 0, failed: 1, dead: 1 })
  })

  it('collapses enqueues with one unique key while a job is pending, not after it finished', async () => {
    const { db } = get()
    const { queue } = testQueue(db)
    queue.register('recompute-progress', async () => {})
    const first = await queue.enqueue(db, 'recompute-progress', { userId: 'u-1' }, { uniqueKey: 'progress:u-1' })
    assert.ok(first)
    assert.equal(await queue.enqueue(db, 'recompute-progress', { userId: 'u-1' }, { uniqueKey: 'progress:u-1' }), null)
    assert.ok(await queue.enqueue(db, 'recompute-progress', { userId: 'u-2' }, { uniqueKey: 'progress:u-2' }))
    assert.equal((await queue.runOnce()).length, 2)
    assert.ok(await queue.enqueue(db, 'recompute-progress', { userId: 'u-1' }, { uniqueKey: 'progress:u-1' }))
  })

  it('rolls back a transactional handler’s writes when it fails, and commits them with success', async () => {
    const { db } = get()
    await sql`CREATE TABLE IF NOT EXISTS job_effects (job_id text NOT NULL)`.execute(db)
    await sql`DELETE FROM job_effects`.execute(db)
    const { queue, clock } = testQueue(db)
    let calls = 0
    queue.register('award-badge', async (ctx, _payload, job) => {
      await sql`INSERT INTO job_effects (job_id) VALUES (${job.id})`.execute(ctx.db)
      if (++calls === 1) throw new Error('half-way failure')
    })
    await queue.enqueue(db, 'award-badge', {})
    await queue.runOnce()
    assert.equal((await sql<{ n: string }>`SELECT count(*) AS n FROM job_effects`.execute(db)).rows[0]?.n, '0')
    clock.advance(3_600_000)
    await queue.runOnce()
    assert.equal((await sql<{ n: string }>`SELECT count(*) AS n FROM job_effects`.execute(db)).rows[0]?.n, '1')
  })

  it('times out a hung handler and retries it', async () => {
    const { db } = get()
    const { queue } = testQueue(db)
    let aborted = false
    queue.register(
      'fetch-exam-results',
      (_ctx, _payload, job) =>
        new Promise<void>((resolve) => {
          job.signal.addEventListener('abort', () => {
            aborted = true
            resolve()
          })
        }),
      { timeoutMs: 50 },
    )
    const id = (await queue.enqueue(db, 'fetch-exam-results', {}))!
    const [result] = await queue.runOnce()
    assert.equal(result?.outcome, 'retry')
    assert.equal(aborted, true)
    assert.match((await jobRow(db, id)).last_error ?? '', /^JobTimeoutError: Timed out after 50 ms$/)
  })

  it('stores only a masked, truncated error message', async () => {
    const message = safeErrorMessage(new Error(`no user aigerim@example.kz, IIN 990101300123, tel +7 701 234 5678`))
    assert.equal(message, 'Error: no user [email], IIN [number], tel [number]')
    assert.equal(safeErrorMessage(new Error('x'.repeat(2_000))).length, 500)
    assert.equal(safeErrorMessage('a string'), 'Non-error thrown: string')
  })
})

import assert from 'node:assert/strict'
import { beforeEach, it } from 'node:test'
import { sql } from 'kysely'
import { describeEachDatabase } from '../../../test/database'
import { openDatabase, type Database } from '../db/database'
import { claimJobs, markSucceeded } from './jobs.repository'
import { LOCK_TIMEOUT_MS, eventually, jobRow, testQueue } from './test-fixtures'

describeEachDatabase('job queue: workers', (get) => {
  beforeEach(async () => {
    await get().db.deleteFrom('jobs').execute()
  })

  it('reclaims a job stuck in running after the lock timeout, and ignores the dead worker’s late result', async () => {
    const { db } = get()
    const { queue, clock } = testQueue(db)
    let runs = 0
    queue.register('seal-audit-log', async () => void runs++)
    const id = (await queue.enqueue(db, 'seal-audit-log', {}))!
    const [claimed] = await claimJobs(db, {
      now: clock.now(),
      workerId: 'crashed',
      limit: 1,
      names: ['seal-audit-log'],
    })
    assert.equal(claimed?.id, id)
    clock.advance(LOCK_TIMEOUT_MS - 1)
    assert.deepEqual(await queue.runOnce(), [])
    clock.advance(2)
    assert.equal((await queue.runOnce())[0]?.outcome, 'succeeded')
    assert.equal(runs, 1)
    const row = await jobRow(db, id)
    assert.equal(row.state, 'succeeded')
    assert.equal(row.attempts, 2)
    assert.equal(await markSucceeded(db, { id, attempts: 1, workerId: 'crashed' }, clock.now()), false)
  })

  it('marks a stuck job dead when it has no attempt left', async () => {
    const { db } = get()
    const { queue, clock } = testQueue(db)
    queue.register('seal-audit-log', async () => {}, { maxAttempts: 1 })
    const id = (await queue.enqueue(db, 'seal-audit-log', {}))!
    await claimJobs(db, { now: clock.now(), workerId: 'crashed', limit: 1, names: ['seal-audit-log'] })
    clock.advance(LOCK_TIMEOUT_MS + 1)
    assert.equal(await queue.reclaimStuck(), 1)
    const row = await jobRow(db, id)
    assert.equal(row.state, 'dead')
    assert.match(row.last_error ?? '', /Lock expired/)
  })

  it('reports a job reclaimed while its handler still ran as lost, without overwriting it', async () => {
    const { db } = get()
    const { queue, clock } = testQueue(db)
    queue.register(
      'export-subject-data',
      async () => {
        clock.advance(LOCK_TIMEOUT_MS + 1)
        await queue.reclaimStuck()
      },
      { transaction: false },
    )
    const id = (await queue.enqueue(db, 'export-subject-data', {}))!
    assert.equal((await queue.runOnce())[0]?.outcome, 'lost')
    assert.equal((await jobRow(db, id)).state, 'pending')
  })

  it('runs jobs in the background until stopped', async () => {
    const { db } = get()
    const { queue } = testQueue(db)
    let runs = 0
    queue.register('send-test-mail', async () => void runs++)
    for (let i = 0; i < 20; i++) await queue.enqueue(db, 'send-test-mail', { n: i })
    queue.start({ concurrency: 3, pollIntervalMs: 20 })
    await eventually(async () => (await queue.stats()).succeeded === 20)
    await queue.stop()
    assert.equal(runs, 20)
  })

  it('stop() waits for running handlers, then interrupts those past the timeout', async () => {
    const { db } = get()
    const { queue } = testQueue(db)
    let started = 0
    queue.register(
      'import-course-catalog',
      (_ctx, payload, job) =>
        new Promise<void>((resolve) => {
          started++
          if (payload.quick) setTimeout(resolve, 100)
          job.signal.addEventListener('abort', () => resolve())
        }),
      { transaction: false },
    )
    const quick = (await queue.enqueue(db, 'import-course-catalog', { quick: true }))!
    const slow = (await queue.enqueue(db, 'import-course-catalog', { quick: false }))!
    queue.start({ concurrency: 2, pollIntervalMs: 10 })
    await eventually(async () => started === 2)
    await queue.stop({ timeoutMs: 300 })
    assert.equal((await jobRow(db, quick)).state, 'succeeded')
    const interrupted = await jobRow(db, slow)
    assert.equal(interrupted.state, 'pending')
    assert.match(interrupted.last_error ?? '', /^JobInterruptedError/)
  })

  it('rolls back a transactional handler whose job was reclaimed meanwhile (PostgreSQL)', async (t) => {
    const { db, kind } = get()
    if (kind !== 'postgres') return t.skip('needs a second connection; PGlite has one')
    await sql`CREATE TABLE IF NOT EXISTS lost_effects (job_id text NOT NULL)`.execute(db)
    const { queue, clock } = testQueue(db)
    queue.register('grant-certificate', async (ctx, _payload, job) => {
      await sql`INSERT INTO lost_effects (job_id) VALUES (${job.id})`.execute(ctx.db)
      clock.advance(LOCK_TIMEOUT_MS + 1)
      await queue.reclaimStuck() // on the root pool: another connection
    })
    await queue.enqueue(db, 'grant-certificate', {})
    assert.equal((await queue.runOnce())[0]?.outcome, 'lost')
    assert.equal((await sql<{ n: string }>`SELECT count(*) AS n FROM lost_effects`.execute(db)).rows[0]?.n, '0')
  })

  it('runs each of 500 jobs exactly once with 4 workers on separate pools (PostgreSQL)', async (t) => {
    const { db, kind, url } = get()
    if (kind !== 'postgres' || !url) return t.skip('PGlite is single-connection')
    await sql`CREATE TABLE IF NOT EXISTS job_runs (job_id text NOT NULL, worker text NOT NULL)`.execute(db)
    const pools: Database[] = []
    try {
      for (let i = 0; i < 4; i++) pools.push(await openDatabase({ kind: 'postgres', url, poolSize: 6 }))
      const queues = pools.map((p, i) => testQueue(p.db, { workerId: `worker-${i}` }).queue)
      for (const q of queues) {
        q.register(
          'count-concurrent-run',
          async (ctx, _payload, job) => {
            await sql`INSERT INTO job_runs (job_id, worker) VALUES (${job.id}, ${q.workerId})`.execute(ctx.db)
          },
          { transaction: false },
        )
      }
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < 500; i++) await queues[0]!.enqueue(trx, 'count-concurrent-run', { n: i })
      })
      for (const q of queues) q.start({ concurrency: 5, pollIntervalMs: 5 })
      await eventually(async () => (await queues[0]!.stats()).succeeded === 500, 60_000)
      await Promise.all(queues.map((q) => q.stop()))
      const { rows } = await sql<{ runs: string; jobs: string; workers: string }>`
        SELECT count(*) AS runs, count(DISTINCT job_id) AS jobs, count(DISTINCT worker) AS workers FROM job_runs
      `.execute(db)
      assert.equal(rows[0]?.runs, '500')
      assert.equal(rows[0]?.jobs, '500')
      assert.ok(Number(rows[0]?.workers) >= 2, 'the workers shared the jobs')
    } finally {
      await Promise.all(pools.map((p) => p.close()))
    }
  })
})

import assert from 'node:assert/strict'
import { beforeEach, it } from 'node:test'
import { createTestClock } from '../clock'
import { describeEachDatabase } from '../../../test/database'
import { buildJobRegistry, defineJob, queueHousekeepingJobs } from './registry'
import { testQueue } from './test-fixtures'

describeEachDatabase('job queue: cron schedules', (get) => {
  beforeEach(async () => {
    await get().db.deleteFrom('jobs').execute()
  })

  it('enqueues each slot once across two queue instances, ahead of time, in Asia/Almaty', async () => {
    const { db } = get()
    const clock = createTestClock('2026-01-15T09:00:00+05:00')
    const ran: string[] = []
    const queues = [testQueue(db, { clock, workerId: 'a' }).queue, testQueue(db, { clock, workerId: 'b' }).queue]
    for (const q of queues) {
      q.register('purge-expired-accounts', async (_ctx, payload) => void ran.push(String(payload.scheduledFor)))
      q.schedule('purge-expired-accounts', '0 3 * * *')
    }
    assert.deepEqual(await Promise.all(queues.map((q) => q.tickSchedules())), [1, 0])
    const rows = await db.selectFrom('jobs').select(['run_at', 'unique_key', 'payload', 'state']).execute()
    assert.equal(rows.length, 1)
    assert.equal(rows[0]?.run_at.toISOString(), '2026-01-15T22:00:00.000Z')
    assert.equal(rows[0]?.unique_key, 'cron:purge-expired-accounts:2026-01-15T22:00:00.000Z')
    assert.deepEqual(rows[0]?.payload, { scheduledFor: '2026-01-15T22:00:00.000Z' })
    assert.deepEqual(await Promise.all(queues.map((q) => q.runOnce())), [[], []])

    clock.set('2026-01-16T03:00:00+05:00')
    await Promise.all(queues.map((q) => q.runOnce()))
    assert.deepEqual(ran, ['2026-01-15T22:00:00.000Z'])
    const next = await db.selectFrom('jobs').select(['run_at', 'state']).orderBy('run_at').execute()
    assert.deepEqual(
      next.map((r) => [r.run_at.toISOString(), r.state]),
      [
        ['2026-01-15T22:00:00.000Z', 'succeeded'],
        ['2026-01-16T22:00:00.000Z', 'pending'],
      ],
    )
  })

  it('never re-creates a slot that already ran, even from a process that did not see it', async () => {
    const { db } = get()
    const clock = createTestClock('2026-01-15T09:00:30+05:00')
    const first = testQueue(db, { clock }).queue
    let runs = 0
    first.register('seal-audit-log', async () => void runs++)
    first.schedule('seal-audit-log', '* * * * *')
    await first.tickSchedules()
    clock.advance(30_000)
    await first.runOnce()
    assert.equal(runs, 1)
    // A late process whose clock still reads before the slot tries to enqueue it again.
    clock.set('2026-01-15T09:00:59+05:00')
    const late = testQueue(db, { clock }).queue
    late.register('seal-audit-log', async () => void runs++)
    late.schedule('seal-audit-log', '* * * * *')
    assert.equal(await late.tickSchedules(), 0)
    clock.set('2026-01-15T09:01:00+05:00')
    assert.deepEqual(await late.runOnce(), [])
    assert.equal(runs, 1)
  })

  it('runs an every-minute schedule exactly once per minute with two workers', async () => {
    const { db } = get()
    const clock = createTestClock('2026-01-15T09:00:10+05:00')
    const slots: string[] = []
    const queues = ['a', 'b'].map((workerId) => testQueue(db, { clock, workerId }).queue)
    for (const q of queues) {
      buildJobRegistry(q, [
        defineJob({
          name: 'seal-audit-log',
          cron: '* * * * *',
          handler: async (_c, p) => void slots.push(String(p.scheduledFor)),
        }),
      ])
    }
    for (let minute = 0; minute < 10; minute++) {
      await Promise.all(queues.map((q) => q.runOnce()))
      clock.advance(60_000)
    }
    await Promise.all(queues.map((q) => q.runOnce()))
    assert.equal(slots.length, 10)
    assert.equal(new Set(slots).size, 10)
    assert.equal(slots[0], '2026-01-15T04:01:00.000Z')
  })

  it('honours another time zone and rejects bad schedules', () => {
    const { queue } = testQueue(get().db)
    queue.register('send-digest', async () => {})
    assert.throws(() => queue.schedule('send-digest', 'every day'), /pattern|parts/i)
    assert.throws(() => queue.schedule('send-digest', '0 3 * * *', { timezone: 'Mars/Olympus' }), /time zone/)
    assert.throws(() => queue.schedule('unknown-job', '0 3 * * *'), /No handler/)
    queue.schedule('send-digest', '0 3 * * *', { timezone: 'UTC' })
    assert.throws(() => queue.schedule('send-digest', '0 4 * * *'), /already has a schedule/)
    assert.deepEqual(queue.schedules(), [{ name: 'send-digest', expression: '0 3 * * *', timezone: 'UTC' }])
  })

  it('registers definitions once and refuses a duplicate name', () => {
    const { queue } = testQueue(get().db)
    const job = defineJob<{ userId: string }>({ name: 'notify-guardian', handler: async () => {}, maxAttempts: 2 })
    const registry = buildJobRegistry(queue, [
      job,
      defineJob({ name: 'seal-audit-log', cron: '*/5 * * * *', handler: async () => {} }),
    ])
    assert.deepEqual(registry.names, ['notify-guardian', 'seal-audit-log'])
    assert.deepEqual(registry.scheduled, [{ name: 'seal-audit-log', cron: '*/5 * * * *', timezone: undefined }])
    assert.throws(() => buildJobRegistry(queue, [job]), /already registered/)
  })

  it('purges jobs finished more than 30 days ago every night', async () => {
    const { db } = get()
    const { queue, clock } = testQueue(db)
    buildJobRegistry(queue, [
      defineJob({ name: 'send-test-mail', handler: async () => {} }),
      ...queueHousekeepingJobs(),
    ])
    const old = (await queue.enqueue(db, 'send-test-mail', {}))!
    await queue.runOnce()
    clock.advanceDays(2)
    const recent = (await queue.enqueue(db, 'send-test-mail', {}))!
    await queue.runOnce()
    clock.advanceDays(29)
    await queue.runOnce()
    const left = await db.selectFrom('jobs').select('id').where('name', '=', 'send-test-mail').execute()
    assert.deepEqual(
      left.map((r) => r.id),
      [recent],
    )
    assert.notEqual(old, recent)
  })
})

// B-2.2 retention: login history is deleted LOGIN_HISTORY_DAYS after a session ends; lockout counters after a day.
import assert from 'node:assert/strict'
import { before, it } from 'node:test'
import { sql } from 'kysely'
import { describeEachDatabase } from '../../../test/database'
import { systemCtx } from '../../platform/context'
import type { JobInfo } from '../../platform/jobs/index'
import { accountsJobs } from './accounts.jobs'
import { LOGIN_HISTORY_DAYS } from './sessions.service'
import { accountsHarness, type Harness } from './test-fixtures'

const DAY = 86_400_000

describeEachDatabase('accounts jobs', (get) => {
  let accounts: Harness
  before(async () => {
    accounts = await accountsHarness(get().db, 'talap', '2026-04-01T06:00:00Z')
  })

  it('are scheduled nightly, and purge ended sessions and stale lockout counters only', async () => {
    const jobs = accountsJobs(accounts)
    assert.deepEqual(
      jobs.map((j) => [j.name, j.cron]),
      [
        ['purge-ended-sessions', '45 3 * * *'],
        ['purge-login-throttles', '50 3 * * *'],
        ['purge-expired-account-tokens', '55 3 * * *'],
        ['purge-expired-pending-identifiers', '58 3 * * *'],
        ['ask-personal-consent', '15 0 * * *'],
      ],
    )
    const { clock } = accounts
    const ctx = () => ({ ...systemCtx(get().db, clock), ip: '192.0.2.1' })
    const person = await accounts.accounts.createAccount(ctx(), {
      email: 'jobs@example.kz',
      password: 'correct horse battery',
      roles: ['learner'],
    })
    const ended = await accounts.sessions.start(ctx(), { userId: person.id })
    await accounts.sessions.revoke(ctx(), { userId: person.id, sessionId: ended.id, reason: 'signed_out' })
    await accounts.signIn.signIn(ctx(), { identifier: 'ghost@example.kz', password: 'wrong password!' }).catch(() => {})
    clock.advance(LOGIN_HISTORY_DAYS * DAY - DAY)
    const open = await accounts.sessions.start(ctx(), { userId: person.id })
    const run = async () => {
      for (const job of jobs) await job.handler(ctx(), { scheduledFor: clock.now().toISOString() }, {} as JobInfo)
    }
    await run()
    const count = async (table: 'sessions' | 'login_throttles') =>
      Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(get().db)).rows[0]?.n)
    assert.equal(await count('sessions'), 2, 'ended 89 days ago: still login history')
    assert.equal(await count('login_throttles'), 0, 'counters older than a day are gone')
    clock.advance(2 * DAY)
    await run()
    const left = await sql<{ id: string }>`select id from sessions`.execute(get().db)
    assert.deepEqual(
      left.rows.map((r) => r.id),
      [open.id],
    )
  })
})

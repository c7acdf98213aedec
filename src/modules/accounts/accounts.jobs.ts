/**
 * Scheduled housekeeping of accounts: login history past its retention,
 * stale counters, expired one-time secrets, unverified new identifiers; and
 * the e-mail asking a person come of age to consent personally.
 */
import { defineJob, type JobDefinitions } from '../../platform/jobs/index'
import { clearExpiredPending } from './corrections.repository'
import type { LoginThrottle } from './login-throttle'
import type { MinorsService } from './minors.service'
import type { OneTimeSecrets } from './one-time-secrets'
import type { SessionsService } from './sessions.service'

/** Job definitions for the composition root: every night from 03:45 (Almaty). */
export function accountsJobs(deps: {
  sessions: Pick<SessionsService, 'purgeEnded'>
  throttle: LoginThrottle
  secrets: OneTimeSecrets
  minors: Pick<MinorsService, 'askAdultsToConsent'>
}): JobDefinitions {
  return [
    defineJob({
      name: 'purge-ended-sessions',
      cron: '45 3 * * *',
      handler: async (ctx) => {
        await deps.sessions.purgeEnded(ctx)
      },
    }),
    defineJob({
      name: 'purge-login-throttles',
      cron: '50 3 * * *',
      handler: async (ctx) => {
        await deps.throttle.purge(ctx.db, ctx.now)
      },
    }),
    defineJob({
      name: 'purge-expired-account-tokens',
      cron: '55 3 * * *',
      handler: async (ctx) => {
        await deps.secrets.purge(ctx.db, ctx.now)
      },
    }),
    // T-5.2.2: a new address or number never verified is dropped (the verified one stayed in force).
    defineJob({
      name: 'purge-expired-pending-identifiers',
      cron: '58 3 * * *',
      handler: async (ctx) => {
        await clearExpiredPending(ctx.db, ctx.now)
      },
    }),
    // Law Arts. 7–8: on the 18th birthday (Almaty) the person is e-mailed, once, to consent personally.
    defineJob({
      name: 'ask-personal-consent',
      cron: '15 0 * * *',
      handler: async (ctx) => {
        await deps.minors.askAdultsToConsent(ctx)
      },
    }),
  ]
}

/** The audit log's scheduled job: seal committed entries into the hash chain every minute. */
import { defineJob, type JobDefinitions } from '../jobs/index'
import type { AuditLog } from './audit.log'

/** Job definitions for the composition root to pass to the job registry. */
export function auditJobs(audit: Pick<AuditLog, 'seal'>, cron = '* * * * *'): JobDefinitions {
  return [
    defineJob({
      name: 'seal-audit-log',
      cron,
      // The sealer commits batch by batch under its own advisory lock, so it needs the root handle.
      transaction: false,
      handler: async (ctx) => {
        await audit.seal(ctx.db)
      },
    }),
  ]
}

/** Data map of the job queue: it holds no personal data by construction. */
import { defineDataMap, notPersonal } from '../data-map/data-map'

const PAYLOAD_RULE =
  'Ids only (e.g. { userId }), never personal data: a handler loads what it needs through the owning module, ' +
  'so erasing a subject needs no change here'

export const jobsDataMap = defineDataMap({
  module: 'platform/jobs',
  tables: {
    jobs: {
      description: 'Durable background job queue (retries, cron slots); finished rows are purged',
      columns: {
        id: notPersonal(),
        name: notPersonal('Job kind, verb-object'),
        payload: notPersonal(PAYLOAD_RULE),
        state: notPersonal(),
        attempts: notPersonal(),
        max_attempts: notPersonal(),
        run_at: notPersonal(),
        locked_at: notPersonal(),
        locked_by: notPersonal('Worker id: host name, process id, random suffix'),
        last_error: notPersonal(
          'Error name and message only, e-mail addresses and long numbers masked, truncated to 500 characters',
        ),
        unique_key: notPersonal('Built from job names and ids or cron slot instants, never from personal data'),
        created_at: notPersonal(),
        finished_at: notPersonal(),
      },
    },
  },
})

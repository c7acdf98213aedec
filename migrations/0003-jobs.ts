/**
 * The durable job queue (src/platform/jobs). Workers claim due rows with
 * `FOR UPDATE SKIP LOCKED`; times come from the application clock, so the
 * columns have no `now()` defaults that could disagree with it.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE jobs (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL CHECK (name ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)+$'),
      payload jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(payload) = 'object'),
      state text NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'running', 'succeeded', 'failed', 'dead')),
      attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      max_attempts integer NOT NULL CHECK (max_attempts >= 1),
      run_at timestamptz NOT NULL,
      locked_at timestamptz,
      locked_by text,
      last_error text CHECK (char_length(last_error) <= 1000),
      unique_key text CHECK (char_length(unique_key) <= 300),
      created_at timestamptz NOT NULL,
      finished_at timestamptz
    )
  `.execute(db)
  // The claim query: due pending jobs in run_at order.
  await sql`CREATE INDEX jobs_claim_idx ON jobs (run_at, id) WHERE state = 'pending'`.execute(db)
  // Reclaiming jobs whose worker stopped: running jobs by lock age.
  await sql`CREATE INDEX jobs_running_idx ON jobs (locked_at) WHERE state = 'running'`.execute(db)
  // Duplicate enqueues with one key collapse while a job with that key is waiting or running.
  await sql`
    CREATE UNIQUE INDEX jobs_unique_key_active_idx ON jobs (unique_key)
    WHERE unique_key IS NOT NULL AND state IN ('pending', 'running')
  `.execute(db)
  // A cron slot (`cron:<name>:<instant>`) is created once, whatever state it reached since.
  await sql`CREATE UNIQUE INDEX jobs_cron_slot_idx ON jobs (unique_key) WHERE unique_key LIKE 'cron:%'`.execute(db)
  // Counts per state (metrics) and purging finished jobs.
  await sql`CREATE INDEX jobs_state_idx ON jobs (state)`.execute(db)
  await sql`CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE finished_at IS NOT NULL`.execute(db)
}

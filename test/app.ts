/**
 * Builds the whole application for a test, exactly as `main.ts` would, on a
 * fresh migrated in-memory PGlite (or PostgreSQL when asked) with a test
 * clock. `close()` stops the app and drops the database.
 */
import { randomBytes } from 'node:crypto'
import { buildApp, type App } from '../src/app'
import { createKeyring } from '../src/platform/crypto/index'
import { loadConfig } from '../src/config'
import { createTestClock, type TestClock } from '../src/platform/clock'
import type { Database, DatabaseKind } from '../src/platform/db/database'
import { createTestDatabase, pageDatabaseKinds } from './database'

export interface TestApp {
  app: App
  database: Database
  clock: TestClock
  close(): Promise<void>
}

export interface TestAppOptions {
  /** Database kind (default: PostgreSQL when TEST_DATABASE_URL is set, else PGlite — see `pageDatabaseKinds`). */
  kind?: DatabaseKind
  /** Extra environment for `loadConfig` (NODE_ENV is `test`). */
  env?: Record<string, string>
  clock?: TestClock
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const testDb = await createTestDatabase(options.kind ?? pageDatabaseKinds()[0]!)
  let disposed: Promise<void> | undefined
  // Idempotent: the app may close its database on shutdown, and close() does too.
  const dispose = () => (disposed ??= testDb.dispose())
  const database: Database = { db: testDb.db, kind: testDb.kind, close: dispose }
  const clock = options.clock ?? createTestClock()
  try {
    const keyring = createKeyring(new Map([['test-1', randomBytes(32)]]), 'test-1', randomBytes(32))
    const app = await buildApp({ config: loadConfig({ NODE_ENV: 'test', ...options.env }), database, clock, keyring })
    await app.ready()
    return {
      app,
      database,
      clock,
      async close() {
        await app.close()
        await dispose()
      },
    }
  } catch (err) {
    await dispose()
    throw err
  }
}

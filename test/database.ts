/**
 * Database fixtures for tests: every database test runs on PGlite, and also
 * on PostgreSQL when TEST_DATABASE_URL is set (each suite gets a fresh,
 * migrated database of its own).
 */
import { randomBytes } from 'node:crypto'
import { after, before, describe } from 'node:test'
import pg from 'pg'
import { openDatabase, type Database, type DatabaseKind, type Db } from '../src/platform/db/database'
import { migrateToLatest } from '../src/platform/db/migrate'
import { pgliteTemplate } from './pglite-template'

export interface TestDatabase {
  db: Db
  kind: DatabaseKind
  /** A connection string for this suite's database (PostgreSQL only). */
  url?: string
}

export function databaseKinds(): DatabaseKind[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite']
}

/**
 * The database for HTTP-level suites (pages, authorization matrices): one,
 * PostgreSQL when it is available, else PGlite. A page runs no SQL of its
 * own: the services and repositories under it are tested on both databases
 * in their own suites, and the browser journeys drive the pages on PGlite
 * (the embedded database of `npm start`). Running every page suite twice
 * more than doubled CI's unit step for no extra evidence.
 */
export function pageDatabaseKinds(): DatabaseKind[] {
  return process.env.TEST_DATABASE_URL ? ['postgres'] : ['pglite']
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

/** Creates a fresh migrated database of the given kind; `dispose` drops it. */
export async function createTestDatabase(
  kind: DatabaseKind,
  options: { migrate?: boolean } = {},
): Promise<TestDatabase & { dispose(): Promise<void> }> {
  if (kind === 'pglite') {
    // Starts from a cached data directory (initdb once per run; migrated when asked).
    const migrated = options.migrate !== false
    const template = await pgliteTemplate(migrated)
    const database = await openDatabase({ kind: 'pglite', dataDir: 'memory://', template })
    if (migrated) await migrateToLatest(database.db)
    return { db: database.db, kind, dispose: () => database.close() }
  }
  const adminUrl = process.env.TEST_DATABASE_URL
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set')
  const name = `oqu_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = withDatabase(adminUrl, name)
  const database: Database = await openDatabase({ kind: 'postgres', url, poolSize: 8 })
  if (options.migrate !== false) await migrateToLatest(database.db)
  return {
    db: database.db,
    kind,
    url,
    async dispose() {
      await database.close()
      const a = new pg.Client({ connectionString: adminUrl })
      await a.connect()
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await a.end()
    },
  }
}

/**
 * Declares `fn`'s tests once per database kind. `get()` returns the suite's
 * database inside tests and hooks.
 */
export function describeEachDatabase(
  name: string,
  fn: (get: () => TestDatabase) => void,
  options: { migrate?: boolean; pages?: boolean } = {},
): void {
  for (const kind of options.pages ? pageDatabaseKinds() : databaseKinds()) {
    describe(`${name} [${kind}]`, () => {
      let current: (TestDatabase & { dispose(): Promise<void> }) | undefined
      before(async () => {
        current = await createTestDatabase(kind, options)
      })
      after(async () => {
        await current?.dispose()
      })
      fn(() => {
        if (!current) throw new Error('database not ready')
        return current
      })
    })
  }
}

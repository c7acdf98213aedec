/**
 * Opens the database: PostgreSQL through `pg` when a URL is given, otherwise
 * the embedded PGlite through its pg-compatible adapter. One query layer
 * (Kysely) and one migration set serve both.
 */
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { createPgConfig } from '@electric-sql/pglite/node-postgres'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { lockDataDir } from './dir-lock'
import type { PlatformTables } from './types'

export type DatabaseKind = 'pglite' | 'postgres'
export type Db = Kysely<PlatformTables>

export interface Database {
  db: Db
  kind: DatabaseKind
  close(): Promise<void>
  /** PGlite only: the data directory as a tarball (a template for test databases). */
  dumpDataDir?(): Promise<Blob>
}

export type DatabaseOptions =
  | { kind: 'postgres'; url: string; poolSize?: number; onIdleError?: (err: Error) => void }
  /** `dataDir: 'memory://'` opens a throwaway in-memory database (tests). */
  | {
      kind: 'pglite'
      dataDir: string
      /** A data-directory tarball (PGlite `dumpDataDir`) to start from instead of a fresh initdb (tests). */
      template?: Blob
    }

// Keep bigint/numeric as strings; parse int8 counts where they are read.
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => v)

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 })
    // An idle connection dropped by the server (restart, failover) must not
    // crash the process; the pool replaces it on the next checkout.
    pool.on('error', (err) => options.onIdleError?.(err))
    const db = new Kysely<PlatformTables>({ dialect: new PostgresDialect({ pool }) })
    return { db, kind: 'postgres', close: () => db.destroy() }
  }
  const memory = options.dataDir.startsWith('memory://')
  const release = memory ? () => {} : lockDataDir(options.dataDir)
  try {
    // pg_trgm serves the catalogue's typo-tolerant search, as on PostgreSQL.
    const lite = new PGlite(memory ? options.dataDir : `${options.dataDir}/pgdata`, {
      extensions: { pg_trgm },
      ...(options.template ? { loadDataDir: options.template } : {}),
    })
    await lite.waitReady
    const pool = new pg.Pool(createPgConfig(lite) as pg.PoolConfig)
    const db = new Kysely<PlatformTables>({ dialect: new PostgresDialect({ pool }) })
    return {
      db,
      kind: 'pglite',
      dumpDataDir: async () => (await lite.dumpDataDir('none')) as Blob,
      async close() {
        await db.destroy()
        await lite.close()
        release()
      },
    }
  } catch (err) {
    release()
    throw err
  }
}

/**
 * A PGlite data directory made once and reused by every test database of the
 * run: a fresh in-memory PGlite spends seconds in initdb (3.6 s measured here)
 * where loading a tarball of one takes about 0.7 s, and a migrated template
 * also skips the migrations. Cached on disk under the system's temporary
 * directory, keyed by the PGlite version and the migrations' contents, so
 * test files (separate processes) share it and a changed migration makes a
 * new one. Written to a temporary name and renamed, so a reader never sees
 * half a file.
 */
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { openDatabase } from '../src/platform/db/database'
import { migrateToLatest } from '../src/platform/db/migrate'

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url))

function cacheKey(migrated: boolean): string {
  const hash = createHash('sha256')
  // The installed PGlite (its package.json is not exported: read it beside the resolved entry).
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite')
  let dir = path.dirname(entry)
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir)
  hash.update(fs.readFileSync(path.join(dir, 'package.json')))
  if (migrated)
    for (const f of fs.readdirSync(MIGRATIONS_DIR).sort()) {
      hash.update(f)
      hash.update(fs.readFileSync(path.join(MIGRATIONS_DIR, f)))
    }
  return hash.digest('hex').slice(0, 16)
}

const made = new Map<boolean, Promise<Blob>>()

async function build(migrated: boolean, file: string): Promise<Blob> {
  const database = await openDatabase({ kind: 'pglite', dataDir: 'memory://' })
  try {
    if (migrated) await migrateToLatest(database.db)
    const dump = await database.dumpDataDir!()
    const bytes = Buffer.from(await dump.arrayBuffer())
    const partial = `${file}.${randomBytes(4).toString('hex')}.partial`
    fs.writeFileSync(partial, bytes)
    fs.renameSync(partial, file)
    return new Blob([bytes])
  } finally {
    await database.close()
  }
}

/** The template tarball: migrated to the latest migration, or a bare initdb. */
export function pgliteTemplate(migrated: boolean): Promise<Blob> {
  let blob = made.get(migrated)
  if (!blob) {
    const file = path.join(os.tmpdir(), `oqu-pglite-${migrated ? 'migrated' : 'bare'}-${cacheKey(migrated)}.tar`)
    blob = fs.existsSync(file) ? Promise.resolve(new Blob([fs.readFileSync(file)])) : build(migrated, file)
    made.set(migrated, blob)
  }
  return blob
}

/**
 * Benchmark harness: counts and captures the SQL a request runs, serves a
 * bare Fastify baseline that runs the same statements, drives autocannon in
 * its own process (so load and server do not share an event loop) and prints
 * a comparison table.
 */
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import path from 'node:path'
import { promisify } from 'node:util'
import Fastify, { type FastifyInstance } from 'fastify'
import pg from 'pg'
import { buildApp, type App } from '../src/app'
import { loadConfig } from '../src/config'
import { systemClock } from '../src/platform/clock'
import { createKeyring } from '../src/platform/crypto/index'
import type { Db } from '../src/platform/db/database'
import { createTestDatabase } from '../test/database'

const run = promisify(execFile)
const AUTOCANNON = path.join(
  path.dirname(createRequire(import.meta.url).resolve('autocannon/package.json')),
  'autocannon.js',
)

export interface Statement {
  text: string
  values: unknown[]
}

/** Records every statement sent through `pg` while `fn` runs (the app's reads use no transaction). */
export async function captureQueries(fn: () => Promise<unknown>): Promise<Statement[]> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }
  const original = proto.query
  const seen: Statement[] = []
  proto.query = function (this: unknown, ...args: unknown[]) {
    const [first, second] = args
    if (typeof first === 'string') seen.push({ text: first, values: Array.isArray(second) ? second : [] })
    else if (first && typeof first === 'object' && 'text' in first) {
      const q = first as { text: string; values?: unknown[] }
      seen.push({ text: q.text, values: q.values ?? (Array.isArray(second) ? second : []) })
    }
    return original.apply(this, args)
  }
  try {
    await fn()
  } finally {
    proto.query = original
  }
  return seen
}

/**
 * The baseline: one Fastify route per page that runs the page's captured
 * statements in order on its own pool and answers a fixed HTML string —
 * the same database work with no framework plugins, no rendering.
 */
export async function startBaseline(
  url: string,
  routes: Record<string, Statement[]>,
  poolSize: number,
): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize })
  const app: FastifyInstance = Fastify({ logger: false })
  for (const [name, statements] of Object.entries(routes)) {
    app.get(`/baseline/${name}`, async (_req, reply) => {
      for (const s of statements) await pool.query(s.text, s.values)
      return reply.type('text/html; charset=utf-8').send('<!doctype html><p>ok</p>')
    })
  }
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (!address || typeof address === 'string') throw new Error('baseline has no TCP address')
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    async close() {
      await app.close()
      await pool.end()
    },
  }
}

export interface LoadResult {
  requestsPerSecond: number
  p50: number
  p99: number
  errors: number
  non2xx: number
}

/** Runs autocannon against `url` in a child process and reads its JSON report. */
export async function load(
  url: string,
  options: { connections: number; seconds: number; headers?: Record<string, string> },
): Promise<LoadResult> {
  const headers = Object.entries(options.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}=${v}`])
  const { stdout } = await run(
    process.execPath,
    [AUTOCANNON, '-j', '-c', String(options.connections), '-d', String(options.seconds), ...headers, url],
    { maxBuffer: 16 * 1024 * 1024 },
  )
  const r = JSON.parse(stdout) as {
    requests: { average: number }
    latency: { p50: number; p99: number }
    errors: number
    non2xx: number
  }
  return {
    requestsPerSecond: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
  }
}

export interface Row {
  page: string
  queries: number
  oqu: LoadResult
  baseline: LoadResult
}

/** Prints the comparison as a fixed-width table. */
export function printTable(rows: readonly Row[], note: string): void {
  const head = [
    'page',
    'queries',
    'Oqu req/s',
    'p50 ms',
    'p99 ms',
    'baseline req/s',
    'p50 ms',
    'p99 ms',
    'Oqu/baseline',
  ]
  const lines = rows.map((r) => [
    r.page,
    String(r.queries),
    r.oqu.requestsPerSecond.toFixed(0),
    r.oqu.p50.toFixed(1),
    r.oqu.p99.toFixed(1),
    r.baseline.requestsPerSecond.toFixed(0),
    r.baseline.p50.toFixed(1),
    r.baseline.p99.toFixed(1),
    `${((100 * r.oqu.requestsPerSecond) / Math.max(r.baseline.requestsPerSecond, 1)).toFixed(0)} %`,
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)))
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  console.log(`\n${fmt(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`)
  for (const l of lines) console.log(fmt(l))
  console.log(`\n${note}`)
  const bad = rows.filter((r) => r.oqu.errors + r.oqu.non2xx + r.baseline.errors + r.baseline.non2xx > 0)
  for (const r of bad)
    console.log(
      `! ${r.page}: ${r.oqu.errors} errors, ${r.oqu.non2xx} non-2xx (Oqu); ${r.baseline.errors}, ${r.baseline.non2xx} (baseline)`,
    )
}

export interface BenchRun {
  app: App
  db: Db
  /** The throwaway database's connection string (for the baseline's pool). */
  url: string
  connections: number
  seconds: number
}

/**
 * Runs `fn` with the real app on a throwaway PostgreSQL database (oqu_test_…,
 * created on DATABASE_URL or TEST_DATABASE_URL and dropped at the end), the
 * system clock and a fresh keyring. BENCH_SECONDS (default 10) and
 * BENCH_CONNECTIONS (default 10) tune the load.
 */
export async function withBenchApp(fn: (run: BenchRun) => Promise<void>): Promise<void> {
  const adminUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL
  if (!adminUrl) {
    console.error('Set DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL server where a database may be created.')
    process.exit(1)
  }
  process.env.TEST_DATABASE_URL = adminUrl
  const seconds = Number(process.env.BENCH_SECONDS ?? 10)
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 10)
  const testDb = await createTestDatabase('postgres')
  let app: App | undefined
  try {
    const database = { db: testDb.db, kind: 'postgres' as const, close: async () => {} }
    const keyring = createKeyring(new Map([['bench-1', randomBytes(32)]]), 'bench-1', randomBytes(32))
    const config = loadConfig({ NODE_ENV: 'test', OQU_RATE_LIMIT: '1000000' })
    app = await buildApp({ config, database, clock: systemClock, keyring })
    await fn({ app, db: testDb.db, url: testDb.url!, connections, seconds })
  } finally {
    await app?.close()
    await testDb.dispose()
  }
}

/**
 * Captures each page's statements (after one warming request), then loads
 * the app's page and its baseline route in turn.
 */
export async function compareWithBaseline(
  run: BenchRun,
  pages: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Row[]> {
  const { app } = run
  const all = { 'accept-language': 'ru', ...headers }
  const captured: Record<string, Statement[]> = {}
  for (const [name, url] of Object.entries(pages)) {
    // The first request warms caches (e.g. pg_trgm detection); the second is the one captured.
    const res = await app.inject({ url, headers: all })
    if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`)
    captured[name] = await captureQueries(() => app.inject({ url, headers: all }))
  }
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (!address || typeof address === 'string') throw new Error('app has no TCP address')
  const slug = (name: string) => name.replace(/[^a-z0-9]+/gi, '-')
  const routes = Object.fromEntries(Object.entries(captured).map(([k, v]) => [slug(k), v]))
  const baseline = await startBaseline(run.url, routes, 8)
  const options = { connections: run.connections, seconds: run.seconds }
  const rows: Row[] = []
  try {
    for (const [name, url] of Object.entries(pages)) {
      const oqu = await load(`http://127.0.0.1:${address.port}${url}`, { ...options, headers: all })
      const base = await load(`${baseline.baseUrl}/baseline/${slug(name)}`, options)
      rows.push({ page: name, queries: captured[name]!.length, oqu, baseline: base })
    }
  } finally {
    await baseline.close()
  }
  return rows
}

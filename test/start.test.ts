// The front door: `npm start` on an embedded data directory, as a new user runs it.
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { after, test } from 'node:test'
import { sql } from 'kysely'
import { openDatabase } from '../src/platform/db/database'

const root = path.resolve(import.meta.dirname, '..')
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oqu-start-'))
const children: ChildProcess[] = []

after(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
  fs.rmSync(dataDir, { recursive: true, force: true })
})

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo
      s.close(() => resolve(port))
    })
  })
}

function start(port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(port),
      HOST: '127.0.0.1',
      OQU_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let output = ''
  child.stdout?.on('data', (d) => (output += d))
  child.stderr?.on('data', (d) => (output += d))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, exited, output: () => output }
}

async function waitReady(port: number, exited: Promise<unknown>): Promise<void> {
  let gone = false
  void exited.then(() => (gone = true))
  for (let i = 0; i < 600 && !gone; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`)
      if (res.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('the server did not become ready')
}

test('npm start serves the Kazakh home page, refuses a second process, stops on Ctrl-C and keeps its data', async () => {
  const port = await freePort()
  const first = start(port)
  await waitReady(port, first.exited)

  const home = await fetch(`http://127.0.0.1:${port}/`)
  assert.equal(home.status, 200)
  const body = await home.text()
  assert.match(body, /<html lang="kk"/)

  const second = start(await freePort())
  assert.equal(await second.exited, 1, 'a second process on the same data directory must refuse')
  assert.match(second.output(), /already in use by another Oqu process/)

  first.child.kill('SIGINT')
  assert.equal(await first.exited, 0, `clean exit on Ctrl-C; output:\n${first.output()}`)
  assert.equal(fs.existsSync(path.join(dataDir, 'oqu.lock')), false, 'the lock is released')

  // The data directory survived: the migrations it applied are still recorded.
  const reopened = await openDatabase({ kind: 'pglite', dataDir })
  const rows = await sql<{ n: string }>`select count(*)::text as n from schema_migrations`.execute(reopened.db)
  assert.ok(Number(rows.rows[0]?.n) > 0)
  await reopened.close()

  const again = start(port)
  await waitReady(port, again.exited)
  again.child.kill('SIGTERM')
  assert.equal(await again.exited, 0)
})

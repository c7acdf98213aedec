import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { DataDirLockedError, lockDataDir } from './dir-lock'

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'oqu-lock-'))

test('a second holder of the data directory is refused with a clear message', () => {
  const dir = tmp()
  const release = lockDataDir(dir)
  // Another live process holds it: pretend the lock file names our parent.
  fs.writeFileSync(path.join(dir, 'oqu.lock'), String(process.ppid))
  assert.throws(
    () => lockDataDir(dir),
    (e: unknown) => e instanceof DataDirLockedError && /already in use/.test(e.message),
  )
  fs.writeFileSync(path.join(dir, 'oqu.lock'), String(process.pid))
  release()
  assert.equal(fs.existsSync(path.join(dir, 'oqu.lock')), false)
})

test('a stale lock from a dead process is taken over', () => {
  const dir = tmp()
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString()
  fs.writeFileSync(path.join(dir, 'oqu.lock'), dead)
  const release = lockDataDir(dir)
  assert.equal(fs.readFileSync(path.join(dir, 'oqu.lock'), 'utf8'), String(process.pid))
  release()
})

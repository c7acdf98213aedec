#!/usr/bin/env node
// The README's test command: unit and database tests (PGlite, plus PostgreSQL
// when TEST_DATABASE_URL is set), then browser journeys in Chromium.
// Browser tests are skipped with a clear message when Chromium is missing,
// except under CI (CI=true), where a missing browser is a failure.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')
const args = process.argv.slice(2)
const only = args.find((a) => !a.startsWith('-'))

function find(dir, out = []) {
  if (!fs.existsSync(dir)) return out
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name)
    if (entry.isDirectory()) find(p, out)
    else if (entry.name.endsWith('.test.ts')) out.push(path.relative(root, p))
  }
  return out.sort()
}

function run(files, concurrency = process.env.OQU_TEST_CONCURRENCY ?? 2) {
  if (files.length === 0) return 0
  const res = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files],
    { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
  )
  return res.status ?? 1
}

export function chromiumPath() {
  const candidates = [process.env.OQU_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean)
  return candidates.find((p) => fs.existsSync(p))
}

const filter = (files) => (only ? files.filter((f) => f.includes(only)) : files)
const unit = filter([...find(path.join(root, 'src')), ...find(path.join(root, 'test'))])
const browser = filter(find(path.join(root, 'e2e')))

let status = 0
if (!only && unit.length === 0) {
  console.error('✖ No test files were found under src/ or test/: refusing to report success.')
  process.exit(1)
}
if (!args.includes('--browser-only')) {
  console.log(
    `\n▶ unit and database tests (${unit.length} files; PostgreSQL: ${process.env.TEST_DATABASE_URL ? 'yes' : 'no, set TEST_DATABASE_URL to include it'})`,
  )
  status = run(unit)
}
if (!args.includes('--no-browser') && browser.length > 0) {
  const chromium = chromiumPath()
  if (!chromium) {
    const msg =
      'Browser tests SKIPPED: Chromium was not found (looked at $OQU_CHROMIUM, /usr/bin/chromium).\n' +
      'Install it with: sudo apt-get install chromium fonts-dejavu-core   (or set OQU_CHROMIUM=/path/to/chromium)'
    if (process.env.CI === 'true') {
      console.error(`\n✖ ${msg}\nUnder CI a missing browser is a failure.`)
      status = status || 1
    } else {
      console.warn(`\n⚠ ${msg}`)
    }
  } else {
    console.log(`\n▶ browser tests (${browser.length} files, ${chromium})`)
    // Two journey files at a time (each with its own server and Chromium) fit two cores.
    process.env.OQU_CHROMIUM = chromium
    status = run(browser, process.env.OQU_BROWSER_CONCURRENCY ?? 2) || status
  }
}
process.exit(status)

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConfigError, loadConfig } from './config'

test('defaults: port 3000, ./data, talap profile, embedded mode runs jobs inline', () => {
  const c = loadConfig({}, '/srv/oqu')
  assert.equal(c.port, 3000)
  assert.equal(c.dataDir, '/srv/oqu/data')
  assert.equal(c.profile, 'talap')
  assert.equal(c.databaseUrl, undefined)
  assert.equal(c.inlineWorker, true)
})

test('DATABASE_URL switches off the embedded database and the inline worker', () => {
  const c = loadConfig({ DATABASE_URL: 'postgres://u@db/oqu' })
  assert.equal(c.databaseUrl, 'postgres://u@db/oqu')
  assert.equal(c.inlineWorker, false)
  assert.equal(c.demo, false)
})

for (const [name, value, pattern] of [
  ['PORT', 'eighty', /PORT: expected a whole number/],
  ['PORT', '70000', /PORT: expected a number from 0 to 65535/],
  ['DATABASE_URL', 'mysql://x', /DATABASE_URL: expected a postgres/],
  ['OQU_PROFILE', 'Talap LMS', /OQU_PROFILE/],
  ['OQU_COOKIE_SECRET', 'short', /OQU_COOKIE_SECRET: must be at least 32/],
  ['LOG_LEVEL', 'loud', /LOG_LEVEL: expected one of/],
  ['OQU_TRUST_PROXY', 'maybe', /OQU_TRUST_PROXY: expected true or false/],
] as const) {
  test(`bad ${name}=${value} stops start-up with a message naming the variable`, () => {
    assert.throws(
      () => loadConfig({ [name]: value }),
      (err: unknown) => err instanceof ConfigError && err.variable === name && pattern.test(err.message),
    )
  })
}

test('production on PostgreSQL requires real secrets', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y' }), /OQU_KEYRING/)
})

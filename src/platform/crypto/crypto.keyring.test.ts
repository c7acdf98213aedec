import assert from 'node:assert/strict'
import { createHmac, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { ConfigError } from '../../config'
import { DecryptionError, KeyringError, UnknownKeyError } from './crypto.errors'
import { computeBlindIndex, parseKeyring } from './crypto.keyring'
import { addLocalMasterKey, createLocalKeyring, keyringFromConfig } from './crypto.local-keyring'

const key = () => randomBytes(32).toString('base64')
const k1 = key()
const k2 = key()
const blind = key()

describe('keyring', () => {
  it('parses id:base64key pairs; the last key is active unless named', () => {
    const ring = parseKeyring(` k1:${k1} , k2:${k2} `, { blindIndexKey: blind })
    assert.equal(ring.activeId, 'k2')
    assert.deepEqual(ring.ids(), ['k1', 'k2'])
    assert.equal(parseKeyring(`k1:${k1},k2:${k2}`, { activeId: 'k1', blindIndexKey: blind }).activeId, 'k1')
  })

  it('refuses malformed keyrings without echoing key material', () => {
    const short = randomBytes(16).toString('base64')
    const cases: Array<[string, string | undefined, string]> = [
      [`k1:${short}`, undefined, blind],
      [`k1:${k1},k1:${k2}`, undefined, blind],
      [`k1:${k1}`, 'k9', blind],
      [`${k1}`, undefined, blind],
      ['', undefined, blind],
      [`k1:${k1}`, undefined, short],
    ]
    for (const [spec, activeId, blindIndexKey] of cases) {
      assert.throws(
        () => parseKeyring(spec, { activeId, blindIndexKey }),
        (err: unknown) => {
          assert.ok(err instanceof KeyringError)
          for (const secret of [k1, k2, short, blind]) assert.ok(!err.message.includes(secret))
          return true
        },
      )
    }
  })

  it('wraps under the active key and unwraps with any key in the ring, bound to its context', () => {
    const old = parseKeyring(`k1:${k1}`, { blindIndexKey: blind })
    const ring = parseKeyring(`k1:${k1},k2:${k2}`, { blindIndexKey: blind })
    const dek = randomBytes(32)
    const w1 = old.wrap(dek, 'ctx-a')
    assert.equal(w1.kekId, 'k1')
    assert.deepEqual(ring.unwrap('k1', w1.wrapped, 'ctx-a'), dek)
    assert.throws(() => ring.unwrap('k1', w1.wrapped, 'ctx-b'), DecryptionError)
    assert.throws(() => ring.unwrap('k2', w1.wrapped, 'ctx-a'), DecryptionError)
    assert.throws(
      () => parseKeyring(`k2:${k2}`, { blindIndexKey: blind }).unwrap('k1', w1.wrapped, 'ctx-a'),
      UnknownKeyError,
    )
  })

  it('computes stable, purpose-separated HMAC-SHA256 blind indexes', () => {
    const fixed = Buffer.alloc(32, 7)
    // Golden value: a change here would orphan every stored index.
    assert.equal(computeBlindIndex(fixed, 'accounts.iin', '900515301234'), GOLDEN_INDEX)
    const purposeKey = createHmac('sha256', fixed).update('oqu.blind-index.v1|accounts.iin').digest()
    assert.equal(GOLDEN_INDEX, createHmac('sha256', purposeKey).update('900515301234').digest('base64url'))
    assert.notEqual(computeBlindIndex(fixed, 'accounts.phone', '900515301234'), GOLDEN_INDEX)
    assert.notEqual(computeBlindIndex(Buffer.alloc(32, 8), 'accounts.iin', '900515301234'), GOLDEN_INDEX)
    const ring = parseKeyring(`k1:${k1}`, { blindIndexKey: blind })
    const again = parseKeyring(`k2:${k2}`, { blindIndexKey: blind })
    assert.equal(ring.blindIndex('accounts.email', 'a@b.kz'), again.blindIndex('accounts.email', 'a@b.kz'))
    assert.throws(() => ring.blindIndex('Bad Purpose', 'x'), KeyringError)
  })
})

describe('local keyring (embedded mode)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oqu-keys-'))
  after(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('creates keys.json (0600) with a master key and a blind-index key on first start, and warns', () => {
    const first = createLocalKeyring(dir)
    assert.match(first.warning ?? '', /Created a local keyring/)
    const file = path.join(dir, 'keys.json')
    assert.equal(fs.statSync(file).mode & 0o777, 0o600)
    const second = createLocalKeyring(dir)
    assert.equal(second.warning, undefined)
    assert.equal(second.keyring.activeId, first.keyring.activeId)
    assert.equal(second.keyring.blindIndex('t.x', 'v'), first.keyring.blindIndex('t.x', 'v'))
    const dek = randomBytes(32)
    const w = first.keyring.wrap(dek, 'c')
    assert.deepEqual(second.keyring.unwrap(w.kekId, w.wrapped, 'c'), dek)
  })

  it('warns when the key file is readable by others', () => {
    fs.chmodSync(path.join(dir, 'keys.json'), 0o644)
    assert.match(createLocalKeyring(dir).warning ?? '', /chmod 600/)
    fs.chmodSync(path.join(dir, 'keys.json'), 0o600)
  })

  it('adds a new active master key and keeps the old one readable', () => {
    const before = createLocalKeyring(dir).keyring
    const w = before.wrap(Buffer.alloc(32, 1), 'c')
    assert.deepEqual(addLocalMasterKey(dir), { keyId: 'k2' })
    const ring = createLocalKeyring(dir).keyring
    assert.equal(ring.activeId, 'k2')
    assert.deepEqual(ring.unwrap(w.kekId, w.wrapped, 'c'), Buffer.alloc(32, 1))
    assert.equal(fs.statSync(path.join(dir, 'keys.json')).mode & 0o777, 0o600)
  })

  it('prefers OQU_KEYRING, and names the variable when configuration is wrong', () => {
    const fromEnv = keyringFromConfig({
      keyring: `prod1:${k1}`,
      activeKeyId: undefined,
      blindIndexKey: blind,
      dataDir: dir,
    })
    assert.equal(fromEnv.keyring.activeId, 'prod1')
    const missing = { keyring: `prod1:${k1}`, activeKeyId: undefined, blindIndexKey: undefined, dataDir: dir }
    assert.throws(
      () => keyringFromConfig(missing),
      (e: unknown) => e instanceof ConfigError && e.variable === 'OQU_BLIND_INDEX_KEY',
    )
    const bad = { keyring: 'prod1:abc', activeKeyId: undefined, blindIndexKey: blind, dataDir: dir }
    assert.throws(
      () => keyringFromConfig(bad),
      (e: unknown) => e instanceof ConfigError && e.variable === 'OQU_KEYRING',
    )
    const active = { keyring: `prod1:${k1}`, activeKeyId: 'nope', blindIndexKey: blind, dataDir: dir }
    assert.throws(
      () => keyringFromConfig(active),
      (e: unknown) => e instanceof ConfigError && e.variable === 'OQU_ACTIVE_KEY_ID',
    )
    assert.equal(
      keyringFromConfig({ keyring: undefined, activeKeyId: undefined, blindIndexKey: undefined, dataDir: dir }).keyring
        .activeId,
      'k2',
    )
  })
})

const GOLDEN_INDEX = 'jXzIdSntCogoNABXF4dtwBifElUvBcqquAT5FSmLsaA'

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createKeyCache } from './crypto.key-cache'

const key = (n: number) => ({ dek: Buffer.alloc(32, n), wrapped: `w${n}` })

describe('data-key cache', () => {
  it('evicts the least recently used key beyond its bound, and zeroes it', () => {
    const cache = createKeyCache({ max: 2 })
    const a = key(1)
    cache.set('a', 1, a)
    cache.set('b', 1, key(2))
    assert.ok(cache.get('a', 1)) // a is now the most recent
    cache.set('c', 1, key(3))
    assert.equal(cache.size, 2)
    assert.equal(cache.get('b', 1), undefined)
    assert.ok(cache.get('a', 1))
    cache.evictSubject('a')
    assert.equal(cache.get('a', 1), undefined)
    assert.ok(a.dek.every((byte) => byte === 0))
  })

  it('forgets keys after the TTL', () => {
    let now = 0
    const cache = createKeyCache({ ttlMs: 1000, now: () => now })
    cache.set('a', 1, key(1))
    now = 999
    assert.ok(cache.get('a', 1))
    now = 1000
    assert.equal(cache.get('a', 1), undefined)
  })

  it('keeps versions of one subject apart', () => {
    const cache = createKeyCache()
    cache.set('a', 1, key(1))
    cache.set('a', 2, key(2))
    assert.equal(cache.get('a', 2)?.wrapped, 'w2')
    cache.evict('a', 2)
    assert.equal(cache.get('a', 1)?.wrapped, 'w1')
  })
})

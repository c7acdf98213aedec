// B-2.2: the IP of each sign-in is shown to its owner masked.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { maskIp } from './ip-addresses'

it('masks IPv4, IPv4-mapped IPv6 and IPv6 addresses, and anything else entirely', () => {
  assert.equal(maskIp('203.0.113.54'), '203.0.•••.•••')
  assert.equal(maskIp('::ffff:198.51.100.7'), '198.51.•••.•••')
  assert.equal(maskIp('2001:db8:85a3::8a2e:370:7334'), '2001:db8:•••')
  assert.equal(maskIp('2a02:ab8:0:1::1'), '2a02:ab8:•••')
  assert.equal(maskIp('fe80::1'), 'fe80:•••')
  assert.equal(maskIp('::1'), '•••')
  assert.equal(maskIp('not an ip'), '•••')
  assert.equal(maskIp(null), '•••')
  assert.equal(maskIp(''), '•••')
})

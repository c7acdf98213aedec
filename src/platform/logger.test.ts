import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import { createLogger } from './logger'

function capture() {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk))
      cb()
    },
  })
  return { lines, logger: createLogger('info', stream) }
}

test('personal fields are redacted at any depth (e-mail, phone, IIN, names, tokens, passwords)', () => {
  const { lines, logger } = capture()
  logger.info(
    {
      email: 'aigerim@example.kz',
      user: { phone: '+77011234567', iin: '900515301234', surname: 'Сейітқали', givenName: 'Айгерім' },
      form: { nested: { password: 'hunter2', token: 'tok_abc' } },
      userId: 'u_123',
    },
    'registered',
  )
  const out = lines.join('')
  for (const secret of [
    'aigerim@example.kz',
    '+77011234567',
    '900515301234',
    'Сейітқали',
    'Айгерім',
    'hunter2',
    'tok_abc',
  ]) {
    assert.ok(!out.includes(secret), `log must not contain ${secret}`)
  }
  assert.ok(out.includes('[redacted]'))
  assert.ok(out.includes('u_123'), 'ids stay visible')
})

test('request logs carry the path only: no query string, no client address, no headers', () => {
  const { lines, logger } = capture()
  logger.info(
    {
      req: {
        method: 'GET',
        url: '/courses?q=aigerim%40example.kz',
        headers: { cookie: 's=1' },
        socket: { remoteAddress: '10.0.0.1' },
      },
    },
    'incoming request',
  )
  const out = lines.join('')
  assert.ok(out.includes('"path":"/courses"'))
  assert.ok(!out.includes('aigerim'))
  assert.ok(!out.includes('10.0.0.1'))
  assert.ok(!out.includes('s=1'))
})

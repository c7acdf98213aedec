import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { it } from 'node:test'
import { describeEachDatabase } from '../../../test/database'
import { createAuditLog } from '../../platform/audit/index'
import { createFieldCrypto, parseKeyring } from '../../platform/crypto/index'
import { keysRotateCommand } from './keys'

const blindIndexKey = randomBytes(32).toString('base64')
const k1 = `k1:${randomBytes(32).toString('base64')}`
const k2 = `k2:${randomBytes(32).toString('base64')}`
const ring = (spec: string) => parseKeyring(spec, { blindIndexKey })

function capture() {
  let text = ''
  return { out: { write: (s: string) => (text += s) }, text: () => text }
}

describeEachDatabase('oqu keys rotate', (get) => {
  it('prints progress, re-wraps every data key and exits 0', async () => {
    const { db } = get()
    const crypto = createFieldCrypto({ keyring: ring(k1), audit: createAuditLog() })
    for (const n of [1, 2, 3]) await crypto.encryptField(db, { subjectId: `c-${n}`, field: 't.f' }, 'x')
    const run = capture()
    assert.equal(await keysRotateCommand(db, ring(`${k1},${k2}`), run.out, { batchSize: 2 }), 0)
    assert.equal(
      run.text(),
      [
        'Re-wrapping data keys under master key k2 (batches of 2)',
        '  batch 1: 2 re-wrapped, 1 to go',
        '  batch 2: 3 re-wrapped, 0 to go',
        'Re-wrapped 3 data keys.',
        'OK: every data key is under k2. Master keys k1 are no longer needed and may be removed from the keyring.',
        '',
      ].join('\n'),
    )
  })

  it('exits 1 when data keys are under a master key the ring lacks', async () => {
    const run = capture()
    const k3 = `k3:${randomBytes(32).toString('base64')}`
    assert.equal(await keysRotateCommand(get().db, ring(k3), run.out), 1)
    assert.match(run.text(), /FAILED: .*missing from the keyring: k2 \(3\)/)
  })
})

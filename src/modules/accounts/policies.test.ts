// B-3.4: only those who need personal data see it — here, only the person themself.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { SYSTEM_ACTOR, type Actor, type Role } from '../../platform/context'
import { canRevokeSession, canViewAccount, canViewSessions, isSignedIn } from './policies'

const ME = '11111111-1111-4111-8111-111111111111'
const YOU = '22222222-2222-4222-8222-222222222222'
const ROLES: Role[] = ['learner', 'guardian', 'instructor', 'support', 'dpo', 'admin']
const user = (id: string, roles: Role[]): Actor => ({ kind: 'user', id, roles })

it('lets a person see and end only their own account’s sessions, whatever their role', () => {
  for (const role of ROLES) {
    assert.equal(canViewAccount(user(ME, [role]), ME), true, role)
    assert.equal(canViewSessions(user(ME, [role]), ME), true, role)
    assert.equal(canRevokeSession(user(ME, [role]), { userId: ME }), true, role)
    assert.equal(canViewAccount(user(YOU, [role]), ME), false, role)
    assert.equal(canViewSessions(user(YOU, [role]), ME), false, role)
    assert.equal(canRevokeSession(user(YOU, [role]), { userId: ME }), false, role)
  }
})

it('refuses anonymous visitors and system actors', () => {
  for (const actor of [null, undefined, SYSTEM_ACTOR, { kind: 'system', id: ME, roles: [] } as Actor]) {
    assert.equal(isSignedIn(actor), false)
    assert.equal(canViewAccount(actor, ME), false)
    assert.equal(canViewSessions(actor, ME), false)
    assert.equal(canRevokeSession(actor, { userId: ME }), false)
  }
  assert.equal(canViewSessions({ kind: 'user', id: '', roles: [] }, ''), false)
})

// T-5.2.1, T-4.4: e-mail proven by a link, phone by an SMS code; password reset by a single-use, short-lived link.
import assert from 'node:assert/strict'
import { before, it } from 'node:test'
import { describeEachDatabase } from '../../../test/database'
import {
  CodeRejectedError,
  InvalidEmailError,
  LinkInvalidError,
  SignInFailedError,
  TooManyRequestsError,
  WeakPasswordError,
} from './accounts.errors'
import type { Registered } from './registration.service'
import { accountsHarness, iinFor, PASSWORD, type Harness } from './test-fixtures'

const MINUTE = 60_000

const linkIn = (text: string) => /https:\/\/oqu\.example\.kz\/\S+token=([A-Za-z0-9_-]{43})/.exec(text)![1]!
const codeIn = (text: string) => /\b(\d{6})\b/.exec(text)![1]!
const rejected = (code: string) => (err: unknown) => err instanceof CodeRejectedError && err.code === code

describeEachDatabase('verification and password reset', (get) => {
  let h: Harness
  let n = 0
  before(async () => {
    h = await accountsHarness(get().db, 'talap')
  })

  async function person(): Promise<Registered & { email: string; phone: string }> {
    n++
    const email = `learner.${n}@mail.kz`
    const phone = `+7707${String(1000000 + n * 7919).slice(-7)}`
    const done = await h.registration.register(h.ctx(), {
      asked: h.asked,
      raw: { surname: 'Қасымов', givenName: 'Дәулет', phone, email, iin: iinFor(n) },
      password: PASSWORD,
      acceptedPolicy: true,
      policy: await h.shownPolicy('ru'),
    })
    return { ...done, email, phone }
  }

  it('verifies the e-mail address with the link, once; an old or expired link does nothing', async () => {
    const p = await person()
    const first = linkIn(await h.latest(p.email, 'accounts.verify_email'))
    h.clock.advance(1000)
    await h.verification.resendEmailLink(h.ctx(), p.userId)
    const second = linkIn(await h.latest(p.email, 'accounts.verify_email'))
    await assert.rejects(h.verification.confirmEmail(h.ctx(), first), LinkInvalidError, 'a newer link replaces it')
    assert.deepEqual(await h.verification.confirmEmail(h.ctx(), second), { userId: p.userId })
    assert.ok((await h.accounts.findById(h.ctx(), p.userId))?.emailVerifiedAt)
    await assert.rejects(h.verification.confirmEmail(h.ctx(), second), LinkInvalidError, 'used once only')
    await assert.rejects(h.verification.confirmEmail(h.ctx(), 'garbage'), LinkInvalidError)
    const late = await person()
    h.clock.advance(48 * 60 * MINUTE + 1000)
    await assert.rejects(
      h.verification.confirmEmail(h.ctx(), linkIn(await h.latest(late.email, 'accounts.verify_email'))),
      LinkInvalidError,
    )
  })

  it('verifies the phone with the SMS code; wrong codes are counted and a code dies after 5 or 10 minutes', async () => {
    const p = await person()
    const code = codeIn(await h.latest(p.phone, 'accounts.verify_phone'))
    const wrong = code === '000000' ? '111111' : '000000'
    await assert.rejects(
      h.verification.confirmPhone(h.ctx(), p.userId, wrong),
      (e: unknown) => rejected('accounts.code_wrong')(e) && (e as CodeRejectedError).params.remaining === 4,
    )
    for (let left = 3; left >= 1; left--)
      await assert.rejects(h.verification.confirmPhone(h.ctx(), p.userId, wrong), rejected('accounts.code_wrong'))
    await assert.rejects(
      h.verification.confirmPhone(h.ctx(), p.userId, wrong),
      rejected('accounts.code_expired'),
      'the fifth wrong try ends it',
    )
    await assert.rejects(
      h.verification.confirmPhone(h.ctx(), p.userId, code),
      rejected('accounts.code_expired'),
      'even the right code is dead',
    )
    h.clock.advance(1000)
    await h.verification.resendPhoneCode(h.ctx(), p.userId)
    const fresh = codeIn(await h.latest(p.phone, 'accounts.verify_phone'))
    await h.verification.confirmPhone(h.ctx(), p.userId, ` ${fresh.slice(0, 3)} ${fresh.slice(3)} `)
    assert.ok((await h.accounts.findById(h.ctx(), p.userId))?.phoneVerifiedAt)
    await assert.rejects(
      h.verification.confirmPhone(h.ctx(), p.userId, fresh),
      rejected('accounts.code_expired'),
      'a replayed code',
    )
    const slow = await person()
    h.clock.advance(10 * MINUTE + 1000)
    await assert.rejects(
      h.verification.confirmPhone(h.ctx(), slow.userId, codeIn(await h.latest(slow.phone, 'accounts.verify_phone'))),
      rejected('accounts.code_expired'),
    )
  })

  it('limits new codes to 5 per 15 minutes', async () => {
    const p = await person() // registration sent the first
    for (let i = 0; i < 4; i++) await h.verification.resendPhoneCode(h.ctx(), p.userId)
    await assert.rejects(
      h.verification.resendPhoneCode(h.ctx(), p.userId),
      (e: unknown) => e instanceof TooManyRequestsError && e.status === 429,
    )
    h.clock.advance(15 * MINUTE)
    await h.verification.resendPhoneCode(h.ctx(), p.userId)
  })

  it('resets a password by a single-use link that ends every session; unknown addresses look the same', async () => {
    const p = await person()
    await h.passwordReset.requestReset(h.ctx(), `nobody.${n}@mail.kz`)
    await assert.rejects(h.passwordReset.requestReset(h.ctx(), 'not an address'), InvalidEmailError)
    await h.passwordReset.requestReset(h.ctx(), p.email.toUpperCase())
    const secret = linkIn(await h.latest(p.email, 'accounts.password_reset'))
    await assert.rejects(h.passwordReset.resetPassword(h.ctx(), { secret, password: 'short' }), WeakPasswordError)
    const NEW = 'a brand new passphrase'
    assert.deepEqual(
      await h.passwordReset.resetPassword(h.ctx(), { secret, password: NEW }),
      { userId: p.userId },
      'the weak try kept the link',
    )
    assert.equal(await h.sessions.resolve(h.ctx(), p.session.token), undefined, 'the registration session ended')
    await assert.rejects(
      h.passwordReset.resetPassword(h.ctx(), { secret, password: 'yet another passphrase' }),
      LinkInvalidError,
    )
    await assert.rejects(h.signIn.signIn(h.ctx(), { identifier: p.email, password: PASSWORD }), SignInFailedError)
    assert.equal((await h.signIn.signIn(h.ctx(), { identifier: p.email, password: NEW })).userId, p.userId)
    assert.ok((await h.accounts.findById(h.ctx(), p.userId))?.emailVerifiedAt, 'the link proved the address')
  })

  it('lets a reset link work for 30 minutes, and limits requests to 5 per address in 15 minutes', async () => {
    const p = await person()
    await h.passwordReset.requestReset(h.ctx(), p.email)
    const secret = linkIn(await h.latest(p.email, 'accounts.password_reset'))
    h.clock.advance(30 * MINUTE + 1000)
    await assert.rejects(
      h.passwordReset.resetPassword(h.ctx(), { secret, password: 'a brand new passphrase' }),
      LinkInvalidError,
    )
    for (let i = 0; i < 5; i++) await h.passwordReset.requestReset(h.ctx({ ip: `192.0.2.${i}` }), p.email)
    await assert.rejects(h.passwordReset.requestReset(h.ctx({ ip: '192.0.2.99' }), p.email), TooManyRequestsError)
  })
})

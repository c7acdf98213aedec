/**
 * For the test clients of every module (over `app.inject`): after a staff
 * member's password, pass the second factor as that person would. The first
 * sign-in enrols the authenticator (reads the secret off the page, types the
 * current code, keeps the ten recovery codes); later sign-ins type one of
 * those recovery codes, because a TOTP step works once and tests usually
 * keep the clock still. Does nothing when the sign-in did not ask for it.
 */
import type { Clock } from '../../platform/clock'
import { base32Decode, totpAt } from './totp'

/** What these steps read of a response. */
export interface FormResponse {
  statusCode: number
  body: string
  headers: Record<string, unknown>
}

export interface FormClient {
  get(path: string): Promise<FormResponse>
  post(path: string, fields?: Record<string, string>): Promise<FormResponse>
}

const recoveryCodes = new Map<string, string[]>()

export async function finishStaffSignIn(
  client: FormClient,
  clock: Pick<Clock, 'now'>,
  email: string,
  signIn: FormResponse,
): Promise<void> {
  if (!String(signIn.headers.location ?? '').startsWith('/login/second-factor')) return
  const factor = await client.get('/login/second-factor')
  const enrol = String(factor.headers.location ?? '')
  if (enrol.startsWith('/login/second-factor/enrol')) {
    const page = await client.get(enrol)
    const secret = /id="totp-secret">([A-Z2-7 ]+)</.exec(page.body)?.[1]?.replace(/ /g, '')
    if (!secret) throw new Error('no authenticator secret on the enrolment page')
    const done = await client.post('/login/second-factor/enrol', { code: totpAt(base32Decode(secret), clock.now()) })
    if (done.statusCode !== 200) throw new Error(`second-factor enrolment failed: ${done.statusCode}`)
    recoveryCodes.set(
      email,
      [...done.body.matchAll(/<li class="mono">([a-z2-9-]+)<\/li>/g)].map((m) => m[1]!),
    )
    return
  }
  const code = recoveryCodes.get(email)?.pop()
  if (!code) throw new Error(`no recovery code kept for ${email}`)
  const passed = await client.post('/login/second-factor', { code })
  if (passed.statusCode !== 303) throw new Error(`second factor failed: ${passed.statusCode}`)
}

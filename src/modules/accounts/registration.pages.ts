/**
 * `GET/POST /register`: the operator profile's fields (registrationFields,
 * T-3.2), the privacy policy in force shown in the page's language, and the
 * account created only with the policy accepted. Success signs the person
 * in and takes them to confirm their e-mail address and phone.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { LOCALES, type Locale } from '../../platform/context'
import { DomainError } from '../../platform/errors'
import type { HttpApp } from '../../platform/http/http-app'
import type { I18n } from '../../platform/i18n/i18n'
import type { Views } from '../../platform/views/layout'
import { accountPage } from './forms'
import { registrationFields, type PolicyService, type Profile } from '../privacy/index'
import { RegistrationInvalidError } from './accounts.errors'
import { setSessionCookie } from './authentication'
import { afterSignIn, continueTo, withNext } from './sign-in.pages'
import { FORM_FIELDS, type AskedField, type FormField } from './registration-fields'
import type { RegistrationService } from './registration.service'
import { renderRegistration, type RegistrationForm } from './registration.views'

export interface RegistrationPagesDeps {
  views: Views
  i18n: I18n
  registration: RegistrationService
  policies: Pick<PolicyService, 'currentPolicy'>
  profile: Profile
  secureCookies: boolean
}

const Text = (maxLength: number) => Type.Optional(Type.String({ maxLength }))
const RegisterBody = Type.Object({
  ...Object.fromEntries(FORM_FIELDS.map((f) => [f, Text(320)])),
  password: Text(4096),
  acceptPolicy: Text(8),
  iinBirthDate: Text(16),
  policyVersionId: Text(64),
  policyLocale: Text(8),
  policySha256: Text(64),
  next: Text(2048),
  _csrf: Text(512),
})
/** A page to come back to after registering and verifying (a guardian's invitation, issue 3). */
const RegisterQuery = Type.Object({ next: Text(2048) })

/** The fields this installation asks for. The avatar upload is not part of the form yet. */
export function askedFields(profile: Profile): AskedField[] {
  return registrationFields(profile)
    .filter((f): f is typeof f & { name: FormField } => (FORM_FIELDS as readonly string[]).includes(f.name))
    .map((f) => ({ name: f.name, required: f.required }))
}

/** Registers GET and POST /register. */
export function registerRegistrationPages(app: HttpApp, deps: RegistrationPagesDeps): void {
  const { views, i18n, registration, policies, profile, secureCookies } = deps
  const asked = askedFields(profile)

  async function render(req: FastifyRequest, reply: FastifyReply, status: number, form: Partial<RegistrationForm>) {
    const locale = req.ctx.locale
    const text = await policies.currentPolicy(req.ctx.db, profile.id, locale, req.ctx.now)
    if (!text) throw new Error(`no policy of profile ${profile.id} is in force`)
    const policy = { ...text, locale }
    const main = renderRegistration(i18n, locale, { asked, policy, csrf: reply.generateCsrf(), ...form })
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(accountPage(views, req, { title: i18n.t(locale, 'accounts.register.title'), main }))
  }

  app.get('/register', { schema: { hide: true, querystring: RegisterQuery } }, async (req, reply) => {
    if (req.accountSession) return reply.redirect(afterSignIn(req.query.next), 303)
    return render(req, reply, 200, { next: continueTo(req.query.next) })
  })

  app.post('/register', { schema: { hide: true, body: RegisterBody } }, async (req, reply) => {
    // A signed-in person does not make a second account from their own session.
    if (req.accountSession) return reply.redirect('/account', 303)
    const body = req.body as Record<string, string | undefined>
    const next = continueTo(body.next)
    const values = { ...Object.fromEntries(FORM_FIELDS.map((f) => [f, body[f]])), iinBirthDate: body.iinBirthDate }
    const policyLocale = (LOCALES as readonly string[]).includes(body.policyLocale ?? '')
      ? (body.policyLocale as Locale)
      : req.ctx.locale
    try {
      const done = await registration.register(req.ctx, {
        asked,
        raw: values,
        password: body.password ?? '',
        acceptedPolicy: body.acceptPolicy === 'yes',
        policy: { versionId: body.policyVersionId ?? '', locale: policyLocale, textSha256: body.policySha256 ?? '' },
      })
      setSessionCookie(reply, done.session, req.ctx.now, secureCookies)
      return reply.header('cache-control', 'no-store').redirect(withNext('/account/verify?done=registered', next), 303)
    } catch (err) {
      if (err instanceof RegistrationInvalidError)
        return render(req, reply, 400, { values, problems: err.fields, next })
      // The policy changed (or the form was tampered with): show the current text and ask again.
      if (err instanceof DomainError && err.code.startsWith('privacy.'))
        return render(req, reply, 409, {
          values,
          formMessage: i18n.t(req.ctx.locale, err.messageKey, err.params),
          next,
        })
      throw err
    }
  })
}

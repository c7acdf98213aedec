/**
 * Correcting one's data (T-5.2.2): `GET/POST /account/edit` (the fields the
 * operator profile asks; a new e-mail or phone is verified before it
 * counts) and `POST /account/change-requests` (IIN and legal names, by
 * request to the DPO). Every route: authenticate, validate, authorise
 * (canEditAccount), act, present; bad input keeps what was typed and
 * changes nothing.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { HttpApp } from '../../platform/http/http-app'
import type { I18n, MessageValues } from '../../platform/i18n/i18n'
import type { Views } from '../../platform/views/layout'
import { renderEdit } from './account-edit.views'
import { accountNav } from './account.views'
import { RegistrationInvalidError, TooManyRequestsError, type FieldProblem } from './accounts.errors'
import type { AccountsService } from './accounts.service'
import { requireUser } from './authentication'
import type { CorrectionsService } from './corrections.service'
import { maskEmail } from './emails'
import { accountPage } from './forms'
import { maskPhone } from './phones'
import { canEditAccount } from './policies'
import { FORM_FIELDS, type AskedField } from './registration-fields'

export interface AccountEditPagesDeps {
  views: Views
  i18n: I18n
  accounts: Pick<AccountsService, 'getEmail' | 'getPhone' | 'getProfileFields'>
  corrections: CorrectionsService
  /** The fields the operator profile asks for. */
  asked: readonly AskedField[]
}

const Text = (maxLength: number) => Type.Optional(Type.String({ maxLength }))
const EditBody = Type.Object({
  ...Object.fromEntries(FORM_FIELDS.map((f) => [f, Text(320)])),
  _csrf: Text(512),
})
const RequestBody = Type.Object({
  field: Text(32),
  value: Text(320),
  reason: Text(4000),
  _csrf: Text(512),
})

type EditState = {
  values?: Partial<Record<string, string>>
  problems?: Readonly<Record<string, FieldProblem>>
  request?: { field?: string; value?: string; reason?: string; problems?: Readonly<Record<string, FieldProblem>> }
}

/** Registers the correction routes; every one requires the signed-in owner. */
export function registerAccountEditPages(app: HttpApp, deps: AccountEditPagesDeps): void {
  const { views, i18n, accounts, corrections, asked } = deps
  const signedIn = { preHandler: requireUser }

  async function render(req: FastifyRequest, reply: FastifyReply, status: number, state: EditState = {}) {
    const t = (key: string, values?: MessageValues) => i18n.t(req.ctx.locale, key, values)
    const userId = req.ctx.actor!.id
    const [fields, email, phone] = await Promise.all([
      accounts.getProfileFields(req.ctx, userId),
      accounts.getEmail(req.ctx, userId),
      accounts.getPhone(req.ctx, userId),
    ])
    const csrf = reply.generateCsrf()
    const main = renderEdit(
      i18n,
      req.ctx.locale,
      {
        ...corrections.editable(asked),
        values: state.values ?? { ...fields },
        problems: state.problems,
        request: state.request,
        maskedEmail: email && maskEmail(email),
        maskedPhone: phone && maskPhone(phone),
        csrf,
      },
      accountNav(t, 'edit', csrf),
    )
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(accountPage(views, req, { title: t('accounts.edit.title'), main }))
  }

  app.get('/account/edit', { ...signedIn, schema: { hide: true } }, async (req, reply) => {
    if (!canEditAccount(req.ctx.actor, req.ctx.actor!.id)) return reply.callNotFound()
    return render(req, reply, 200)
  })

  app.post('/account/edit', { ...signedIn, schema: { hide: true, body: EditBody } }, async (req, reply) => {
    const userId = req.ctx.actor!.id
    if (!canEditAccount(req.ctx.actor, userId)) return reply.callNotFound()
    const values = req.body as Partial<Record<string, string>>
    try {
      const result = await corrections.updateProfile(req.ctx, userId, { asked, values })
      reply.header('cache-control', 'no-store')
      if (result.phonePending) return reply.redirect('/account/verify?done=code_sent', 303)
      return reply.redirect(`/account?done=${result.emailPending ? 'email_pending' : 'saved'}`, 303)
    } catch (err) {
      if (err instanceof RegistrationInvalidError) return render(req, reply, 400, { values, problems: err.fields })
      if (err instanceof TooManyRequestsError)
        return render(req, reply, 429, {
          values,
          problems: { [values.phone ? 'phone' : 'email']: { code: err.code, params: err.params } },
        })
      throw err
    }
  })

  app.post(
    '/account/change-requests',
    { ...signedIn, schema: { hide: true, body: RequestBody } },
    async (req, reply) => {
      const userId = req.ctx.actor!.id
      if (!canEditAccount(req.ctx.actor, userId)) return reply.callNotFound()
      const { field = '', value = '', reason = '' } = req.body
      try {
        await corrections.fileRequest(req.ctx, userId, { field, value, reason, asked })
        return reply.header('cache-control', 'no-store').redirect('/account?done=requested', 303)
      } catch (err) {
        if (!(err instanceof RegistrationInvalidError)) throw err
        return render(req, reply, 400, { request: { field, value, reason, problems: err.fields } })
      }
    },
  )
}

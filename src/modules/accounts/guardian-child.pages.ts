/**
 * The guardian acts for the child's account (issue 3; law Arts. 7–8):
 *   GET  /account/children/:id                   the child's page: consent for the child (while linked), the
 *                                                child's data masked, optional purposes, ending the link
 *   POST /account/children/:id/consent           consent for the child (ledger: subject = child, givenBy = guardian)
 *   GET  /account/children/:id/edit              correct the child's data (the child's own rules, T-5.2.2)
 *   POST /account/children/:id/edit              … a new e-mail or phone is verified by the child
 *   POST /account/children/:id/change-requests   IIN and legal names by request to the DPO
 *   POST /account/children/:id/purposes          switch one optional purpose (ledger: givenBy = guardian)
 * Every route: authenticate (requireUser), validate, authorise (the actor's
 * live link to a child still under 18, `canActForChild`; anyone else —
 * another guardian too — gets a 404), act through the child's own services
 * (corrections, purposes) with the guardian as the actor, present.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { LOCALES, type Locale } from '../../platform/context'
import type { HttpApp } from '../../platform/http/http-app'
import type { I18n, MessageValues } from '../../platform/i18n/i18n'
import { html, type SafeHtml } from '../../platform/views/html'
import type { Views } from '../../platform/views/layout'
import { PrivacyError, type PolicyService, type Profile, type PurposesService } from '../privacy/index'
import { renderEdit, renderPending, renderRequests } from './account-edit.views'
import { RegistrationInvalidError, TooManyRequestsError, type FieldProblem } from './accounts.errors'
import type { AccountsService } from './accounts.service'
import { requireUser } from './authentication'
import type { CorrectionsService } from './corrections.service'
import { maskEmail } from './emails'
import { accountPage } from './forms'
import { CHILD_NOTICES, renderChildPage, type ChildNotice } from './guardian-child.views'
import type { GuardianLinkRow, GuardiansService, ShownPolicyRef } from './guardians.service'
import { maskIin } from './iin'
import { maskPhone } from './phones'
import { canActForChild } from './policies'
import { FORM_FIELDS, type AskedField } from './registration-fields'
import type { VerificationService } from './verification.service'

export interface GuardianChildPagesDeps {
  views: Views
  i18n: I18n
  guardians: Pick<GuardiansService, 'childLink' | 'consentForChild'>
  accounts: Pick<AccountsService, 'findById' | 'getEmail' | 'getPhone' | 'getProfileFields' | 'fullName'>
  verification: Pick<VerificationService, 'pendingIdentifiers'>
  corrections: Pick<CorrectionsService, 'editable' | 'updateProfile' | 'fileRequest' | 'listOwn'>
  /** The privacy module's purposes: the child's states, and a decision given by the guardian. */
  purposes: Pick<PurposesService, 'states' | 'set'>
  policies: Pick<PolicyService, 'currentPolicy'>
  profile: Profile
  /** The fields the operator profile asks for (the child's own correction form follows them). */
  asked: readonly AskedField[]
}

const Text = (maxLength: number) => Type.Optional(Type.String({ maxLength }))
const LinkParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
const ChildQuery = Type.Object({ done: Type.Optional(Type.Union(CHILD_NOTICES.map((n) => Type.Literal(n)))) })
const PolicyBody = Type.Object({
  acceptPolicy: Text(8),
  policyVersionId: Text(64),
  policyLocale: Text(8),
  policySha256: Text(64),
  _csrf: Text(512),
})
const EditBody = Type.Object({ ...Object.fromEntries(FORM_FIELDS.map((f) => [f, Text(320)])), _csrf: Text(512) })
const RequestBody = Type.Object({ field: Text(32), value: Text(320), reason: Text(4000), _csrf: Text(512) })
const PurposeBody = Type.Object({ purpose: Text(64), on: Text(1), _csrf: Text(512) })
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

type EditState = {
  values?: Partial<Record<string, string>>
  problems?: Readonly<Record<string, FieldProblem>>
  request?: { field?: string; value?: string; reason?: string; problems?: Readonly<Record<string, FieldProblem>> }
}

/** Registers the guardian's pages of one child. */
export function registerGuardianChildPages(app: HttpApp, deps: GuardianChildPagesDeps): void {
  const { views, i18n, guardians, accounts, verification, corrections, purposes, policies, profile, asked } = deps
  const signedIn = { preHandler: requireUser }
  const tOf = (req: FastifyRequest) => (key: string, values?: MessageValues) => i18n.t(req.ctx.locale, key, values)

  /** The actor's live link to a minor child, or undefined (answered 404 like an unknown id). */
  async function childLink(req: FastifyRequest, id: string): Promise<GuardianLinkRow | undefined> {
    if (!UUID.test(id)) return undefined
    const link = await guardians.childLink(req.ctx, id)
    return link && canActForChild(req.ctx.actor, link.child_id, [link.child_id]) ? link : undefined
  }

  function send(req: FastifyRequest, reply: FastifyReply, status: number, title: string, main: SafeHtml) {
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(accountPage(views, req, { title, main }))
  }

  async function childPage(
    req: FastifyRequest,
    reply: FastifyReply,
    status: number,
    link: GuardianLinkRow,
    extra: { notice?: ChildNotice; policyProblem?: boolean; purposeProblem?: string } = {},
  ) {
    const t = tOf(req)
    const childId = link.child_id
    const [account, name, email, phone, fields, pending, requests, states] = await Promise.all([
      accounts.findById(req.ctx, childId),
      accounts.fullName(req.ctx, childId),
      accounts.getEmail(req.ctx, childId),
      accounts.getPhone(req.ctx, childId),
      accounts.getProfileFields(req.ctx, childId),
      verification.pendingIdentifiers(req.ctx, childId),
      corrections.listOwn(req.ctx, childId),
      purposes.states(req.ctx.db, childId),
    ])
    const consented = link.status === 'consented'
    let policy
    if (!consented) {
      const text = await policies.currentPolicy(req.ctx.db, profile.id, req.ctx.locale, req.ctx.now)
      if (!text) throw new Error(`no policy of profile ${profile.id} is in force`)
      policy = { ...text, locale: req.ctx.locale }
    }
    const guardianId = req.ctx.actor!.id
    const main = renderChildPage(t, req.ctx.locale, {
      linkId: link.id,
      name,
      consented,
      consentedAt: link.consented_at,
      consentId: link.consent_id,
      csrf: reply.generateCsrf(),
      ...extra,
      ...(policy ? { policy } : {}),
      details: {
        fields: { ...fields, iin: fields.iin === undefined ? undefined : maskIin(fields.iin) },
        maskedEmail: email && maskEmail(email),
        emailVerified: Boolean(account?.emailVerifiedAt),
        maskedPhone: phone && maskPhone(phone),
        phoneVerified: Boolean(account?.phoneVerifiedAt),
      },
      pending: renderPending(
        t,
        req.ctx.locale,
        {
          email: pending.email && { masked: maskEmail(pending.email.value), expiresAt: pending.email.expiresAt },
          phone: pending.phone && { masked: maskPhone(pending.phone.value), expiresAt: pending.phone.expiresAt },
        },
        html`<p>${t('accounts.guardian.child.childConfirms')}</p>`,
      ),
      requests: renderRequests(t, req.ctx.locale, requests, t('accounts.guardian.child.requests')),
      purposes: states
        .filter((s) => s.basis === 'consent')
        .map((s) => ({
          purpose: s.purpose,
          on: s.on,
          default: s.default,
          ...(s.decision?.givenBy === guardianId ? { receiptId: s.decision.id } : {}),
        })),
      essential: states.filter((s) => s.basis === 'essential').map((s) => s.purpose),
    })
    return send(req, reply, status, name ?? t('accounts.guardian.children.title'), main)
  }

  async function editPage(
    req: FastifyRequest,
    reply: FastifyReply,
    status: number,
    link: GuardianLinkRow,
    state: EditState = {},
  ) {
    const t = tOf(req)
    const childId = link.child_id
    const [name, fields, email, phone] = await Promise.all([
      accounts.fullName(req.ctx, childId),
      accounts.getProfileFields(req.ctx, childId),
      accounts.getEmail(req.ctx, childId),
      accounts.getPhone(req.ctx, childId),
    ])
    const base = `/account/children/${link.id}`
    const shown = name ?? t('accounts.guardian.children.noName')
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
        csrf: reply.generateCsrf(),
        forChild: {
          edit: `${base}/edit`,
          request: `${base}/change-requests`,
          back: base,
          backLabel: t('accounts.guardian.child.edit.back', { name: shown }),
          title: t('accounts.guardian.child.edit.title', { name: shown }),
          lead: t('accounts.guardian.child.edit.lead'),
          verifyNote: t('accounts.guardian.child.edit.verifyNote'),
          requestTitle: t('accounts.guardian.child.edit.requestTitle'),
          requestLead: t('accounts.guardian.child.edit.requestLead'),
        },
      },
      html``,
    )
    return send(req, reply, status, t('accounts.guardian.child.edit.title', { name: shown }), main)
  }

  app.get(
    '/account/children/:id',
    { ...signedIn, schema: { hide: true, params: LinkParams, querystring: ChildQuery } },
    async (req, reply) => {
      const link = await childLink(req, req.params.id)
      if (!link) return reply.callNotFound()
      return childPage(req, reply, 200, link, { notice: req.query.done })
    },
  )

  app.post(
    '/account/children/:id/consent',
    { ...signedIn, schema: { hide: true, params: LinkParams, body: PolicyBody } },
    async (req, reply) => {
      const link = await childLink(req, req.params.id)
      if (!link) return reply.callNotFound()
      if (link.status === 'consented') return reply.redirect('/account/children', 303)
      const body = req.body
      if (body.acceptPolicy !== 'yes') return childPage(req, reply, 400, link, { policyProblem: true })
      const locale = (LOCALES as readonly string[]).includes(body.policyLocale ?? '')
        ? (body.policyLocale as Locale)
        : req.ctx.locale
      const policy: ShownPolicyRef = {
        versionId: body.policyVersionId ?? '',
        locale,
        textSha256: body.policySha256 ?? '',
      }
      await guardians.consentForChild(req.ctx, { linkId: link.id, policy })
      return reply.redirect('/account/children?done=consented', 303)
    },
  )

  app.get(
    '/account/children/:id/edit',
    { ...signedIn, schema: { hide: true, params: LinkParams } },
    async (req, reply) => {
      const link = await childLink(req, req.params.id)
      if (!link) return reply.callNotFound()
      return editPage(req, reply, 200, link)
    },
  )

  app.post(
    '/account/children/:id/edit',
    { ...signedIn, schema: { hide: true, params: LinkParams, body: EditBody } },
    async (req, reply) => {
      const link = await childLink(req, req.params.id)
      if (!link) return reply.callNotFound()
      const values = req.body as Partial<Record<string, string>>
      try {
        // The child's own rules; the guardian is the actor of every audit entry; links and codes go to the child.
        const result = await corrections.updateProfile(req.ctx, link.child_id, { asked, values })
        const done = result.phonePending ? 'phone_pending' : result.emailPending ? 'email_pending' : 'saved'
        return reply.header('cache-control', 'no-store').redirect(`/account/children/${link.id}?done=${done}`, 303)
      } catch (err) {
        if (err instanceof RegistrationInvalidError)
          return editPage(req, reply, 400, link, { values, problems: err.fields })
        if (err instanceof TooManyRequestsError)
          return editPage(req, reply, 429, link, {
            values,
            problems: { [values.phone ? 'phone' : 'email']: { code: err.code, params: err.params } },
          })
        throw err
      }
    },
  )

  app.post(
    '/account/children/:id/change-requests',
    { ...signedIn, schema: { hide: true, params: LinkParams, body: RequestBody } },
    async (req, reply) => {
      const link = await childLink(req, req.params.id)
      if (!link) return reply.callNotFound()
      const { field = '', value = '', reason = '' } = req.body
      try {
        await corrections.fileRequest(req.ctx, link.child_id, { field, value, reason, asked })
        return reply.header('cache-control', 'no-store').redirect(`/account/children/${link.id}?done=requested`, 303)
      } catch (err) {
        if (!(err instanceof RegistrationInvalidError)) throw err
        return editPage(req, reply, 400, link, { request: { field, value, reason, problems: err.fields } })
      }
    },
  )

  app.post(
    '/account/children/:id/purposes',
    { ...signedIn, schema: { hide: true, params: LinkParams, body: PurposeBody } },
    async (req, reply) => {
      const link = await childLink(req, req.params.id)
      if (!link) return reply.callNotFound()
      // Optional purposes follow the guardian's consent to the policy: nothing to switch before it.
      if (link.status !== 'consented') return reply.redirect(`/account/children/${link.id}`, 303)
      const purpose = req.body.purpose ?? ''
      try {
        await purposes.set(req.ctx, {
          subjectId: link.child_id,
          givenBy: req.ctx.actor!.id,
          purpose,
          on: req.body.on === '1',
          locale: req.ctx.locale,
          channel: 'web',
        })
      } catch (err) {
        if (!(err instanceof PrivacyError)) throw err
        const message = i18n.t(req.ctx.locale, err.messageKey, err.params)
        return childPage(req, reply, err.status, link, { purposeProblem: message })
      }
      return reply.redirect(`/account/children/${link.id}?done=purpose#purpose-${encodeURIComponent(purpose)}`, 303)
    },
  )
}

/**
 * Minors and guardians (issue 3):
 *   GET  /account/guardian                 "ask your parent or guardian" (or "consent personally" at 18)
 *   POST /account/guardian/invite          the minor sends the invitation link to a parent's e-mail
 *   POST /account/consent                  a person turned 18 accepts the policy personally
 *   GET  /guardian/accept?token=…          the invitation opened (a button spends it: mail scanners must not)
 *   POST /guardian/accept                  the signed-in guardian links to the child
 *   GET  /account/children                 the guardian's children: status, consents with receipts
 *   POST /account/children/:id/revoke      end the link (the child waits for a guardian again, unless another consented)
 * The child's own page (consent for the child, data, corrections, purposes) is guardian-child.pages.ts.
 * Every route: authenticate (requireUser), validate, authorise (the service
 * checks the link belongs to the actor; another guardian gets a 404), act.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { LOCALES, type Locale } from '../../platform/context'
import type { HttpApp } from '../../platform/http/http-app'
import type { I18n, MessageValues } from '../../platform/i18n/i18n'
import type { Views } from '../../platform/views/layout'
import type { PolicyService, Profile } from '../privacy/index'
import { AccountsError, LinkInvalidError, NotAllowedError } from './accounts.errors'
import type { AccountsService } from './accounts.service'
import { requireUser } from './authentication'
import { canViewAccount } from './policies'
import { accountPage } from './forms'
import type { GuardiansService, ShownPolicyRef } from './guardians.service'
import { renderAcceptInvitation, renderAskGuardian, renderChildren } from './guardians.views'

export interface GuardianPagesDeps {
  views: Views
  i18n: I18n
  guardians: GuardiansService
  accounts: Pick<AccountsService, 'fullName'>
  policies: Pick<PolicyService, 'currentPolicy'>
  profile: Profile
}

const Text = (maxLength: number) => Type.Optional(Type.String({ maxLength }))
const PolicyBody = Type.Object({
  acceptPolicy: Text(8),
  policyVersionId: Text(64),
  policyLocale: Text(8),
  policySha256: Text(64),
  _csrf: Text(512),
})
const InviteBody = Type.Object({ email: Text(320), _csrf: Text(512) })
const TokenQuery = Type.Object({ token: Text(128) })
const TokenBody = Type.Object({ token: Text(128), _csrf: Text(512) })
const LinkParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
const GuardianQuery = Type.Object({ done: Text(16) })
const ChildrenQuery = Type.Object({
  done: Type.Optional(Type.Union([Type.Literal('consented'), Type.Literal('revoked'), Type.Literal('linked')])),
})
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Registers the minors' and guardians' pages. */
export function registerGuardianPages(app: HttpApp, deps: GuardianPagesDeps): void {
  const { views, i18n, guardians, accounts, policies, profile } = deps
  const signedIn = { preHandler: requireUser }
  const tOf = (req: FastifyRequest) => (key: string, values?: MessageValues) => i18n.t(req.ctx.locale, key, values)

  function send(
    req: FastifyRequest,
    reply: FastifyReply,
    status: number,
    titleKey: string,
    main: ReturnType<typeof renderChildren>,
  ) {
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(accountPage(views, req, { title: i18n.t(req.ctx.locale, titleKey), main }))
  }

  async function shownPolicy(req: FastifyRequest) {
    const text = await policies.currentPolicy(req.ctx.db, profile.id, req.ctx.locale, req.ctx.now)
    if (!text) throw new Error(`no policy of profile ${profile.id} is in force`)
    return { ...text, locale: req.ctx.locale }
  }

  function policyRef(req: FastifyRequest, body: Record<string, string | undefined>): ShownPolicyRef | undefined {
    if (body.acceptPolicy !== 'yes') return undefined
    const locale = (LOCALES as readonly string[]).includes(body.policyLocale ?? '')
      ? (body.policyLocale as Locale)
      : req.ctx.locale
    return { versionId: body.policyVersionId ?? '', locale, textSha256: body.policySha256 ?? '' }
  }

  async function askPage(
    req: FastifyRequest,
    reply: FastifyReply,
    status: number,
    extra: { email?: string; emailError?: string; sent?: boolean; policyProblem?: boolean },
  ) {
    const restriction = req.ctx.actor?.restricted
    const page = renderAskGuardian(tOf(req), req.ctx.locale, {
      csrf: reply.generateCsrf(),
      restriction,
      invitations: restriction === 'awaiting_guardian' ? await guardians.guardiansOf(req.ctx) : [],
      ...(restriction === 'personal_consent_due' ? { policy: await shownPolicy(req) } : {}),
      ...extra,
    })
    return send(req, reply, status, 'accounts.guardian.ask.title', page)
  }

  app.get(
    '/account/guardian',
    { ...signedIn, schema: { hide: true, querystring: GuardianQuery } },
    async (req, reply) => askPage(req, reply, 200, { sent: req.query.done === 'sent' }),
  )

  app.post(
    '/account/guardian/invite',
    { ...signedIn, schema: { hide: true, body: InviteBody } },
    async (req, reply) => {
      const email = req.body.email ?? ''
      if (req.ctx.actor?.restricted !== 'awaiting_guardian') return reply.redirect('/account/guardian', 303)
      try {
        await guardians.invite(req.ctx, { email })
        return reply.redirect('/account/guardian?done=sent', 303)
      } catch (err) {
        if (!(err instanceof AccountsError) || err instanceof NotAllowedError) throw err
        return askPage(req, reply, err.status === 429 ? 429 : 400, {
          email,
          emailError: i18n.t(req.ctx.locale, err.messageKey, err.params),
        })
      }
    },
  )

  app.post('/account/consent', { ...signedIn, schema: { hide: true, body: PolicyBody } }, async (req, reply) => {
    if (req.ctx.actor?.restricted !== 'personal_consent_due') return reply.redirect('/account', 303)
    const policy = policyRef(req, req.body)
    if (!policy) return askPage(req, reply, 400, { policyProblem: true })
    await guardians.consentPersonally(req.ctx, policy)
    return reply.redirect('/account?done=saved', 303)
  })

  app.get('/guardian/accept', { schema: { hide: true, querystring: TokenQuery } }, async (req, reply) => {
    const token = req.query.token ?? ''
    const page = renderAcceptInvitation(tOf(req), {
      csrf: reply.generateCsrf(),
      token,
      signedIn: Boolean(req.accountSession),
      next: req.url,
    })
    return send(req, reply, 200, 'accounts.guardian.accept.title', page)
  })

  app.post('/guardian/accept', { ...signedIn, schema: { hide: true, body: TokenBody } }, async (req, reply) => {
    try {
      const { linkId } = await guardians.accept(req.ctx, req.body.token ?? '')
      return reply.redirect(`/account/children/${linkId}`, 303)
    } catch (err) {
      if (
        !(err instanceof LinkInvalidError) &&
        !(err instanceof AccountsError && err.code === 'accounts.guardian_self')
      )
        throw err
      const t = tOf(req)
      const main = renderAcceptInvitation(t, {
        csrf: reply.generateCsrf(),
        token: '',
        signedIn: false,
        next: '/account',
      })
      return send(req, reply, 400, 'accounts.guardian.accept.title', main).header('x-oqu-error', err.code)
    }
  })

  async function childName(req: FastifyRequest, childId: string): Promise<string | null> {
    return accounts.fullName(req.ctx, childId)
  }

  app.get(
    '/account/children',
    { ...signedIn, schema: { hide: true, querystring: ChildrenQuery } },
    async (req, reply) => {
      const links = await guardians.children(req.ctx)
      const children = await Promise.all(
        links.map(async (link) => ({
          link,
          name: await childName(req, link.child_id),
          actionable: (await guardians.childLink(req.ctx, link.id)) !== undefined,
        })),
      )
      const main = renderChildren(tOf(req), req.ctx.locale, {
        children,
        csrf: reply.generateCsrf(),
        done: req.query.done,
      })
      return send(req, reply, 200, 'accounts.guardian.children.title', main)
    },
  )

  async function ownLink(req: FastifyRequest, id: string) {
    if (!UUID.test(id)) return undefined
    const links = await guardians.children(req.ctx)
    const link = links.find((l) => l.id === id)
    return link &&
      canViewAccount(
        req.ctx.actor,
        link.child_id,
        links.map((l) => l.child_id),
      )
      ? link
      : undefined
  }

  app.post(
    '/account/children/:id/revoke',
    { ...signedIn, schema: { hide: true, params: LinkParams } },
    async (req, reply) => {
      const link = await ownLink(req, req.params.id)
      if (!link) return reply.callNotFound()
      await guardians.revoke(req.ctx, link.id)
      return reply.redirect('/account/children?done=revoked', 303)
    },
  )
}

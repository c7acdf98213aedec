/**
 * The policy at stable URLs (T-6.1, T-6.2, B-1.2), in kk, ru and en:
 *   GET  /policy                  the version in force (and the next one, if published)
 *   GET  /policy/versions/:n      each published version with its diff to the previous one
 *   POST /policy/accept           "Accept" (B-1.2; Talap people may accept before the effective date)
 * and the gate every authenticated request passes (`registerPolicyGate`):
 * acceptance by use (T-1.2) and the banner about a version not yet accepted.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { AppError } from '../../platform/http/errors'
import type { HttpApp } from '../../platform/http/http-app'
import type { I18n } from '../../platform/i18n/i18n'
import { html, type SafeHtml } from '../../platform/views/html'
import type { Views } from '../../platform/views/layout'
import type { AcceptanceService, PolicyBanner } from './acceptance.service'
import type { PolicyService } from './policies.service'
import type { PolicyVersionsService, PublishedVersion } from './policy-versions.service'
import type { Profile } from './profiles'
import {
  csrfField,
  formatDate,
  privacyPage,
  renderBanner,
  renderDiff,
  statusMessage,
  translator,
  type T,
} from './privacy.views'

declare module 'fastify' {
  interface FastifyRequest {
    /** The policy banner of this request (signed-in people who have not accepted the newest version). */
    policyBanner: { banner: PolicyBanner; csrf: string } | null
  }
}

export interface PolicyPagesDeps {
  views: Views
  i18n: I18n
  profile: Profile
  policies: Pick<PolicyService, 'currentPolicy' | 'policyText'>
  versions: PolicyVersionsService
  acceptance: AcceptanceService
  /** preHandler for signed-in routes (the accounts module's `requireUser`). */
  requireUser: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>
}

const SKIPPED = /^\/(?:assets\/|healthz$|readyz$|metrics$)/

/** Records acceptance by use and finds the banner on every authenticated request (wired in app.ts). */
export function registerPolicyGate(app: HttpApp, deps: { acceptance: AcceptanceService }): void {
  app.decorateRequest('policyBanner', null)
  app.addHook('preHandler', async (req, reply) => {
    req.policyBanner = null
    const actor = req.ctx?.actor
    if (actor?.kind !== 'user' || SKIPPED.test(req.url)) return
    const banner = await deps.acceptance.onRequest(req.ctx, actor.id)
    if (banner) req.policyBanner = { banner, csrf: reply.generateCsrf() }
  })
}

/** The layout's banner slot: the policy banner of the request, if any. */
export function policyBannerOf(i18n: I18n): (req: FastifyRequest) => SafeHtml | undefined {
  return (req) => {
    const found = req.policyBanner
    if (!found) return undefined
    return renderBanner(found.banner, req.ctx.locale, translator(i18n, req.ctx.locale), found.csrf)
  }
}

function versionList(
  versions: PublishedVersion[],
  current: number | undefined,
  t: T,
  locale: 'kk' | 'ru' | 'en',
): SafeHtml {
  return html`<nav class="policy-versions" aria-labelledby="versions-title"><h2 id="versions-title">${t('privacy.policy.versions')}</h2><ol reversed>${[
    ...versions,
  ]
    .reverse()
    .map(
      (v) =>
        html`<li><a href="/policy/versions/${String(v.number)}"${v.number === current ? html` aria-current="page"` : ''}>${t('privacy.policy.version', { number: v.number })}</a> — ${t('privacy.policy.effectiveFrom', { date: formatDate(locale, v.effectiveAt) })}</li>`,
    )}</ol></nav>`
}

/** T-6.3, B-1.3: who the operator is and how to reach them (and the DPO), from the profile. */
function operatorBlock(profile: Profile, t: T, locale: 'kk' | 'ru' | 'en'): SafeHtml {
  const o = profile.operator
  const notStated = t('privacy.receipt.notStated')
  return html`<section class="policy-operator" aria-labelledby="operator-title"><h2 id="operator-title">${t('privacy.policy.operator')}</h2>
<dl class="held-facts"><dt>${t('privacy.receipt.items.operator')}</dt><dd>${t('privacy.receipt.operatorValue', { name: o.legalName[locale], bin: o.bin ?? notStated })}</dd>
<dt>${t('privacy.receipt.other.address')}</dt><dd>${o.address?.[locale] ?? notStated}</dd>
<dt>${t('privacy.receipt.other.phone')}</dt><dd>${o.phone ?? notStated}</dd>
<dt>${t('privacy.receipt.other.email')}</dt><dd>${o.email ? html`<a href="mailto:${o.email}">${o.email}</a>` : notStated}</dd>
<dt>${o.dpo ? o.dpo.title[locale] : t('privacy.receipt.other.dpo')}</dt><dd>${o.dpo ? [o.dpo.email, o.dpo.phone].filter(Boolean).join(', ') || notStated : t('privacy.receipt.other.dpoOperator')}</dd></dl></section>`
}

const Params = Type.Object({ n: Type.String({ pattern: '^[1-9][0-9]{0,5}$' }) })
const AcceptBody = Type.Object({
  _csrf: Type.Optional(Type.String()),
  version: Type.String({ pattern: '^[1-9][0-9]{0,5}$' }),
  sha256: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$' })),
})

export function registerPolicyPages(app: HttpApp, deps: PolicyPagesDeps): void {
  const { views, i18n, profile, policies, versions, acceptance } = deps

  app.get('/policy', { schema: { hide: true } }, async (req, reply) => {
    const locale = req.ctx.locale
    const t = translator(i18n, locale)
    const all = await versions.published(req.ctx.db, req.ctx.now)
    const current = await policies.currentPolicy(req.ctx.db, profile.id, locale, req.ctx.now)
    if (!current) throw new AppError('not_found')
    const next = all.filter((v) => v.number > current.number).pop()
    const main = html`<article class="policy" aria-labelledby="policy-title">
<p class="eyebrow">${profile.operator.legalName[locale]}</p>
<h1 id="policy-title">${t('privacy.policy.title')}</h1>
<p class="policy-meta">${t('privacy.policy.version', { number: current.number })} · ${t('privacy.policy.effectiveFrom', { date: formatDate(locale, current.effectiveAt) })}</p>
${next ? html`<p class="notice">${t('privacy.policy.upcoming', { number: next.number, date: formatDate(locale, next.effectiveAt) })} <a href="/policy/versions/${String(next.number)}#changes">${t('privacy.banner.diff')}</a></p>` : ''}
<div class="policy-body">${current.html}</div>
${operatorBlock(profile, t, locale)}
${versionList(all, current.number, t, locale)}
</article>`
    reply.header('content-language', locale).header('vary', 'Accept-Language, Cookie')
    return reply
      .type('text/html; charset=utf-8')
      .send(privacyPage(views, req, { title: t('privacy.policy.title'), main }))
  })

  app.get('/policy/versions/:n', { schema: { hide: true, params: Params } }, async (req, reply) => {
    const locale = req.ctx.locale
    const t = translator(i18n, locale)
    const all = await versions.published(req.ctx.db, req.ctx.now)
    const version = all.find((v) => v.number === Number(req.params.n))
    if (!version) throw new AppError('not_found')
    const text = await policies.policyText(req.ctx.db, version.id, locale)
    const diff = await versions.diff(req.ctx.db, version.id, locale)
    if (!text || !diff) throw new AppError('not_found')
    const pending = req.policyBanner?.banner.version.number === version.number
    const accepted = (req.query as Record<string, unknown>).accepted === '1'
    const acceptForm =
      pending && req.policyBanner
        ? html`<form class="accept-form" method="post" action="/policy/accept">${csrfField(req.policyBanner.csrf)}<input type="hidden" name="version" value="${String(version.number)}"><input type="hidden" name="sha256" value="${text.sha256}"><button class="button button-primary" type="submit">${t('privacy.banner.accept')}</button></form>
<p class="decline-link">${t('privacy.close.decline')} <a href="/privacy/close">${t('privacy.banner.close')}</a></p>`
        : ''
    const title = `${t('privacy.policy.title')} — ${t('privacy.policy.version', { number: version.number })}`
    const main = html`<article class="policy" aria-labelledby="policy-title">
<p class="eyebrow">${profile.operator.legalName[locale]}</p>
<h1 id="policy-title">${title}</h1>
${accepted ? statusMessage(t('privacy.policy.accepted', { number: version.number })) : ''}
<p class="policy-meta">${t('privacy.policy.published', { date: formatDate(locale, version.publishedAt) })} · ${t('privacy.policy.effectiveFrom', { date: formatDate(locale, version.effectiveAt) })}</p>
<section class="policy-changes" id="changes" aria-labelledby="changes-title">
<h2 id="changes-title">${diff.previous ? t('privacy.policy.changes', { previous: diff.previous.number }) : t('privacy.policy.readText')}</h2>
${diff.previous ? renderDiff(diff.diff, t) : html`<p>${t('privacy.policy.firstVersion')}</p>`}
${acceptForm}
</section>
${diff.previous ? html`<section class="policy-full" aria-labelledby="full-title"><h2 id="full-title">${t('privacy.policy.readText')}</h2><div class="policy-body">${text.html}</div></section>` : html`<div class="policy-body">${text.html}</div>`}
${operatorBlock(profile, t, locale)}
${versionList(all, version.number, t, locale)}
</article>`
    reply.header('content-language', locale).header('vary', 'Accept-Language, Cookie')
    return reply.type('text/html; charset=utf-8').send(privacyPage(views, req, { title, main }))
  })

  app.post(
    '/policy/accept',
    { preHandler: deps.requireUser, schema: { hide: true, body: AcceptBody } },
    async (req, reply) => {
      const actor = req.ctx.actor
      if (actor?.kind !== 'user') throw new AppError('unauthenticated')
      const all = await versions.published(req.ctx.db, req.ctx.now)
      const version = all.find((v) => v.number === Number(req.body.version))
      if (!version) throw new AppError('not_found')
      const text = await policies.policyText(req.ctx.db, version.id, req.ctx.locale)
      if (!text) throw new AppError('not_found')
      await acceptance.accept(req.ctx, {
        userId: actor.id,
        versionId: version.id,
        locale: req.ctx.locale,
        textSha256: req.body.sha256 ?? text.sha256,
      })
      return reply.redirect(`/policy/versions/${String(version.number)}?accepted=1`, 303)
    },
  )
}

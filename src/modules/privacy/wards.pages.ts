/**
 * The guardian's side of the privacy centre (law Arts. 7–9: a parent or
 * guardian consents — and withdraws — for a minor; issue 4 "guardians
 * withdraw for minors"). Only a person with live guardian links sees it;
 * anyone else, and a guardian asking about another's child, gets 404:
 *   GET  /privacy/children                  each child's consent state: the policy acceptance, withdrawal,
 *                                           the optional purposes
 *   POST /privacy/children/:id/withdraw     the same signed act as one's own withdrawal, confirmed by the
 *                                           guardian's password; the receipt names the guardian (`givenBy`)
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Ctx } from '../../platform/context'
import { DomainError } from '../../platform/errors'
import { AppError } from '../../platform/http/errors'
import type { HttpApp } from '../../platform/http/http-app'
import type { I18n } from '../../platform/i18n/i18n'
import { html, type SafeHtml } from '../../platform/views/html'
import type { Views } from '../../platform/views/layout'
import type { ConsentRecord, ConsentService } from './consents.service'
import { WithdrawalRefusedError } from './privacy.errors'
import { isPerson } from './privacy.policies'
import type { PurposesService } from './purposes.service'
import { csrfField, formatDateTimeShort, formError, privacyPage, translator, type T } from './privacy.views'
import type { WithdrawalEffect, WithdrawalService } from './withdrawal.service'

/** A child the signed-in person is a live guardian of (accounts: a guardian link linked or consented). */
export interface Ward {
  childId: string
  /** The child's name as the accounts module holds it; null when none is held. */
  name: string | null
}

export interface WardPagesDeps {
  views: Views
  i18n: I18n
  consents: Pick<ConsentService, 'recordsOf'>
  purposes: Pick<PurposesService, 'states'>
  withdrawal: Pick<WithdrawalService, 'effects' | 'isWithdrawn' | 'withdraw'>
  /** The actor's live wards (accounts' guardian links); empty for anyone who is not a guardian. */
  wardsOf(ctx: Ctx): Promise<Ward[]>
  requireUser: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>
}

const Params = Type.Object({ id: Type.String({ maxLength: 64 }) })
const WithdrawBody = Type.Object({
  _csrf: Type.Optional(Type.String()),
  password: Type.String({ maxLength: 300 }),
  effect: Type.Optional(Type.String({ maxLength: 40 })),
})

interface Problem {
  childId: string
  message: SafeHtml
}

export function registerWardPages(app: HttpApp, deps: WardPagesDeps): void {
  const { views, i18n, consents, purposes, withdrawal } = deps

  /** The actor's wards; 404 for anyone who has none (nothing tells a non-guardian this page exists). */
  async function wards(req: FastifyRequest): Promise<{ guardianId: string; list: Ward[] }> {
    const actor = req.ctx.actor
    if (!isPerson(actor)) throw new AppError('unauthenticated')
    const list = await deps.wardsOf(req.ctx)
    if (list.length === 0) throw new AppError('not_found')
    return { guardianId: actor.id, list }
  }
  const guard = { preHandler: deps.requireUser }

  function decision(t: T, locale: 'kk' | 'ru' | 'en', r: ConsentRecord | undefined, guardianId: string, key: string) {
    if (!r) return html`<p>${t('privacy.children.noAcceptance')}</p>`
    const who = r.givenBy === guardianId ? t('privacy.children.byYou') : t('privacy.children.byChild')
    const receipt =
      r.givenBy === guardianId
        ? html` <a href="/privacy/consents/${r.id}/receipt">${t('privacy.centre.receipt')}</a>`
        : ''
    return html`<p>${t(key, { date: formatDateTimeShort(locale, r.decidedAt), who })}${receipt}</p>`
  }

  async function section(req: FastifyRequest, t: T, ward: Ward, guardianId: string, csrf: string, problem?: Problem) {
    const locale = req.ctx.locale
    const childId = ward.childId
    const records = await consents.recordsOf(req.ctx.db, childId)
    const accepted = records.filter((r) => r.kind === 'policy_acceptance').pop()
    const withdrawn = await withdrawal.isWithdrawn(req.ctx, childId)
    const lastWithdrawal = records.filter((r) => r.kind === 'consent_withdrawn').pop()
    const states = (await purposes.states(req.ctx.db, childId)).filter((s) => s.basis === 'consent')
    const effects = withdrawal.effects()
    const failed = problem?.childId === childId
    const id = `child-${childId}`
    const form = withdrawn
      ? ''
      : html`${failed ? problem.message : ''}<form method="post" action="/privacy/children/${childId}/withdraw" class="withdraw-form">${csrfField(csrf)}
${
  effects.length > 1
    ? html`<fieldset class="field"><legend class="field-label">${t('privacy.centre.effect')}</legend>${effects.map(
        (e: WithdrawalEffect, i) =>
          html`<label class="choice"><input type="radio" name="effect" value="${e}"${i === 0 ? html` checked` : ''}> ${t(`privacy.centre.effects.${e}`)}</label>`,
      )}</fieldset>`
    : html`<p>${t('privacy.centre.effect')}: ${t(`privacy.centre.effects.${effects[0] ?? 'stop_processing'}`)}</p><input type="hidden" name="effect" value="${effects[0] ?? 'stop_processing'}">`
}
<div class="field"><label class="field-label" for="${id}-password">${t('privacy.children.password')}</label><input class="input" id="${id}-password" name="password" type="password" autocomplete="current-password" required${failed ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}></div>
<button class="button button-danger" type="submit">${t('privacy.children.withdrawButton')}</button></form>`
    return html`<section class="child-consent" id="${id}" aria-labelledby="${id}-title"><h2 id="${id}-title">${ward.name ?? t('privacy.children.unnamed')}</h2>
<h3>${t('privacy.children.policy')}</h3>${decision(t, locale, accepted, guardianId, 'privacy.children.accepted')}
${withdrawn ? decision(t, locale, lastWithdrawal, guardianId, 'privacy.children.withdrawn') : ''}
<h3>${t('privacy.centre.purposes')}</h3><ul class="purpose-list">${states.map(
      (s) =>
        html`<li class="purpose purpose-${s.on ? 'on' : 'off'}"><span class="purpose-name">${t(`privacy.purposes.${s.purpose}`)}</span> <span class="badge${s.on ? ' badge-ok' : ''}">${s.on ? t('privacy.centre.on') : t('privacy.centre.off')}</span></li>`,
    )}</ul>
<h3>${t('privacy.children.withdrawTitle')}</h3>${withdrawn ? html`<p>${t('privacy.children.alreadyWithdrawn')}</p>` : html`<p>${t('privacy.children.withdrawLead')}</p>`}${form}</section>`
  }

  async function render(req: FastifyRequest, reply: FastifyReply, problem?: Problem, status = 200) {
    const { guardianId, list } = await wards(req)
    const t = translator(i18n, req.ctx.locale)
    const csrf = reply.generateCsrf()
    const sections: SafeHtml[] = []
    for (const ward of list) sections.push(await section(req, t, ward, guardianId, csrf, problem))
    const main = html`<p><a href="/privacy">${t('privacy.centre.title')}</a></p><h1>${t('privacy.children.title')}</h1>
<p class="lead-text">${t('privacy.children.lead')}</p>${sections}`
    return reply
      .code(status)
      .header('cache-control', 'private, no-store')
      .type('text/html; charset=utf-8')
      .send(privacyPage(views, req, { title: t('privacy.children.title'), main }))
  }

  app.get('/privacy/children', { ...guard, schema: { hide: true } }, async (req, reply) => render(req, reply))

  app.post(
    '/privacy/children/:id/withdraw',
    { ...guard, schema: { hide: true, params: Params, body: WithdrawBody } },
    async (req, reply) => {
      const { guardianId, list } = await wards(req)
      const childId = req.params.id
      // Another guardian's child and an unknown id look the same.
      if (!list.some((w) => w.childId === childId)) throw new AppError('not_found')
      const t = translator(i18n, req.ctx.locale)
      try {
        const record = await withdrawal.withdraw(req.ctx, {
          subjectId: childId,
          givenBy: guardianId,
          password: req.body.password,
          effect: (req.body.effect ?? withdrawal.effects()[0]) as WithdrawalEffect,
          locale: req.ctx.locale,
        })
        return reply.redirect(`/privacy/consents/${record.id}/receipt`, 303)
      } catch (err) {
        if (!(err instanceof DomainError)) throw err
        const detail =
          err instanceof WithdrawalRefusedError
            ? html`<p>${t('privacy.centre.refusedBecause')}</p><ul>${err.reasons.map((r) => html`<li>${t(r)}</li>`)}</ul>`
            : undefined
        const message = formError(`child-${childId}-error`, t(err.messageKey, err.params), detail)
        return render(req, reply, { childId, message }, err.status)
      }
    },
  )
}

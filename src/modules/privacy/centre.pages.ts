/**
 * The privacy centre, the person's side (anonymous visitors are sent to sign in):
 *   GET  /privacy                  what we hold (from the data map), purposes on/off, the policy,
 *                                  withdrawal, contacts and complaints (T-5.1.1 view, T-5.1.3, T-5.1.5, T-6.3, B-2.3)
 *   POST /privacy/purposes         turn one consent purpose on or off (a ledger entry with a receipt)
 *   GET  /privacy/consents         the consent history with receipts
 *   POST /privacy/withdraw         withdraw consent (password), then the signed receipt
 *   POST /privacy/complaints       file a complaint with the DPO
 *   GET/POST /privacy/unsubscribe  one-click unsubscribe from marketing (T-3.1.4), no sign-in: the link
 *                                  carries the account id and its HMAC; GET only asks (mail scanners fetch links)
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Ctx } from '../../platform/context'
import { isPersonal, type DataMapRegistry } from '../../platform/data-map/data-map'
import type { PdCategory } from '../../platform/data-map/taxonomy'
import { DomainError } from '../../platform/errors'
import { AppError } from '../../platform/http/errors'
import type { HttpApp } from '../../platform/http/http-app'
import type { I18n } from '../../platform/i18n/i18n'
import { html, type SafeHtml } from '../../platform/views/html'
import type { Views } from '../../platform/views/layout'
import type { ComplaintsService } from './complaints.service'
import type { ConsentService } from './consents.service'
import type { PolicyService } from './policies.service'
import type { MarketingService } from './marketing.jobs'
import type { PurposesService } from './purposes.service'
import { PasswordIncorrectError, WithdrawalRefusedError } from './privacy.errors'
import { isPerson } from './privacy.policies'
import { profileCategories, type Profile } from './profiles'
import { startOfAlmatyDay } from './calendar'
import { retentionUntil } from './retention'
import {
  csrfField,
  formatDate,
  formatDateTimeShort,
  formError,
  privacyPage,
  statusMessage,
  translator,
  type T,
} from './privacy.views'
import type { WithdrawalEffect, WithdrawalService } from './withdrawal.service'

/** One value the operator holds about the person, as the accounts module presents it. */
export interface HeldValue {
  category: PdCategory
  /** The field's label key, e.g. `accounts.fields.email`, or a plain label. */
  label: string
  /** Masked unless `reveal` was asked for. */
  value: string
}

export interface CentrePagesDeps {
  views: Views
  i18n: I18n
  profile: Profile
  dataMap: DataMapRegistry
  policies: Pick<PolicyService, 'currentPolicy'>
  consents: Pick<ConsentService, 'recordsOf'>
  purposes: PurposesService
  withdrawal: WithdrawalService
  complaints: ComplaintsService
  marketing: Pick<MarketingService, 'unsubscribeSubject'>
  /** The person's values (accounts), masked unless `reveal`. */
  valuesOf(ctx: Ctx, subjectId: string, reveal: boolean): Promise<HeldValue[]>
  requireUser: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>
}

const PurposeBody = Type.Object({
  _csrf: Type.Optional(Type.String()),
  purpose: Type.String({ maxLength: 40 }),
  on: Type.Union([Type.Literal('1'), Type.Literal('0')]),
})
const WithdrawBody = Type.Object({
  _csrf: Type.Optional(Type.String()),
  password: Type.String({ maxLength: 300 }),
  effect: Type.Optional(Type.String({ maxLength: 40 })),
})
/** Decisions per page of the consent history. */
const HISTORY_PAGE = 50

const UnsubscribeQuery = Type.Object({ u: Type.String({ maxLength: 64 }), s: Type.String({ maxLength: 100 }) })
const UnsubscribeBody = Type.Object({
  _csrf: Type.Optional(Type.String()),
  u: Type.String({ maxLength: 64 }),
  s: Type.String({ maxLength: 100 }),
})
const ComplaintBody = Type.Object({ _csrf: Type.Optional(Type.String()), text: Type.String({ maxLength: 6000 }) })

interface Problems {
  withdraw?: SafeHtml
  complaint?: string
  complaintText?: string
}

export function registerCentrePages(app: HttpApp, deps: CentrePagesDeps): void {
  const { views, i18n, profile, purposes, withdrawal, complaints, consents } = deps
  const signedIn = { preHandler: deps.requireUser }
  const me = (req: FastifyRequest) => {
    const actor = req.ctx.actor
    if (!isPerson(actor)) throw new AppError('unauthenticated')
    return actor.id
  }

  function heldSection(
    t: T,
    locale: 'kk' | 'ru' | 'en',
    values: { value: HeldValue[]; revealed: boolean },
    now: Date,
  ): SafeHtml {
    const columns = deps.dataMap.columns()
    const rows = profileCategories(profile).map((category) => {
      const needing = profile.purposes
        .filter((p) => p.categories.includes(category))
        .map((p) => t(`privacy.purposes.${p.id}`))
      const sources = [
        ...new Set(
          columns.flatMap((c) =>
            isPersonal(c.classification) && c.classification.category === category ? [c.classification.source] : [],
          ),
        ),
      ]
      const recipients = profile.recipients.neverTransferred.includes(category)
        ? [t('privacy.centre.neverTransferred')]
        : [
            ...new Set(
              profile.recipients.list
                .filter((r) => r.basis === 'law' || r.categories?.includes(category))
                .map((r) => t(`privacy.recipients.${r.kind}`)),
            ),
          ]
      const retention =
        profile.retention.from === 'last_activity'
          ? t('privacy.centre.retentionActivity', {
              years: profile.retention.years,
              date: formatDate(locale, startOfAlmatyDay(retentionUntil(profile, now))),
            })
          : t('privacy.centre.retentionAgreement', { years: profile.retention.years })
      const held = values.value.filter((v) => v.category === category)
      return html`<section class="held-category" aria-labelledby="held-${category}"><h3 id="held-${category}">${t(`privacy.categories.${category}`)}</h3>
${held.length > 0 ? html`<dl class="held-values">${held.map((v) => html`<dt>${v.label.includes('.') ? t(v.label) : v.label}</dt><dd class="mono">${v.value}</dd>`)}</dl>` : ''}
<dl class="held-facts"><dt>${t('privacy.centre.why')}</dt><dd>${needing.join('; ')}</dd>
<dt>${t('privacy.centre.source')}</dt><dd>${sources.map((s) => t(`privacy.sources.${s}`)).join('; ') || '—'}</dd>
<dt>${t('privacy.centre.retention')}</dt><dd>${retention}</dd>
<dt>${t('privacy.centre.recipients')}</dt><dd>${recipients.join('; ') || t('privacy.centre.nobody')}</dd></dl></section>`
    })
    return html`<section id="data" aria-labelledby="data-title"><h2 id="data-title">${t('privacy.centre.held')}</h2>
<p>${values.revealed ? html`<a href="/privacy#data">${t('privacy.centre.mask')}</a>` : html`<a href="/privacy?reveal=1#data">${t('privacy.centre.reveal')}</a>`}</p>
${rows}</section>`
  }

  async function render(req: FastifyRequest, reply: FastifyReply, problems: Problems = {}, status = 200) {
    const subjectId = me(req)
    const locale = req.ctx.locale
    const t = translator(i18n, locale)
    const csrf = reply.generateCsrf()
    const query = req.query as Record<string, string | undefined>
    const reveal = query.reveal === '1'
    const states = await purposes.states(req.ctx.db, subjectId)
    const policy = await deps.policies.currentPolicy(req.ctx.db, profile.id, locale, req.ctx.now)
    const withdrawn = await withdrawal.isWithdrawn(req.ctx, subjectId)
    const values = await deps.valuesOf(req.ctx, subjectId, reveal)
    const mine = await complaints.mine(req.ctx, subjectId)
    const o = profile.operator
    // Guardians reach their children's consents (law Arts. 7–9); the page itself checks the live links.
    const guardian = req.ctx.actor?.roles.includes('guardian') ?? false
    const purposeItems = states.map((s) => {
      const name = t(`privacy.purposes.${s.purpose}`)
      const state = s.on ? t('privacy.centre.on') : t('privacy.centre.off')
      const control =
        s.basis === 'essential'
          ? ''
          : html`<form class="inline-form" method="post" action="/privacy/purposes">${csrfField(csrf)}<input type="hidden" name="purpose" value="${s.purpose}"><input type="hidden" name="on" value="${s.on ? '0' : '1'}"><button class="button button-secondary" type="submit" aria-label="${`${s.on ? t('privacy.centre.turnOff') : t('privacy.centre.turnOn')}: ${name}`}">${s.on ? t('privacy.centre.turnOff') : t('privacy.centre.turnOn')}</button></form>
${s.decision ? html` <a href="/privacy/consents/${s.decision.id}/receipt">${t('privacy.centre.receipt')}</a>` : html`<span class="muted">${s.default ? t('privacy.centre.defaultOn') : t('privacy.centre.defaultOff')}</span>`}`
      return html`<li class="purpose purpose-${s.on ? 'on' : 'off'}" id="purpose-${s.purpose}"><div class="purpose-head"><span class="purpose-name">${name}</span> <span class="badge${s.on ? ' badge-ok' : ''}">${state}</span></div>
<p class="purpose-categories muted">${s.categories.map((c) => t(`privacy.categories.${c}`)).join('; ')} · ${s.clauses.join(', ')}</p>${control}</li>`
    })
    const effects = withdrawal.effects()
    const withdrawForm = withdrawn
      ? html`<p>${t('privacy.centre.alreadyWithdrawn')}</p>`
      : html`${problems.withdraw ?? ''}<form method="post" action="/privacy/withdraw" class="withdraw-form">${csrfField(csrf)}
${
  effects.length > 1
    ? html`<fieldset class="field"><legend class="field-label">${t('privacy.centre.effect')}</legend>${effects.map(
        (e: WithdrawalEffect, i) =>
          html`<label class="choice"><input type="radio" name="effect" value="${e}"${i === 0 ? html` checked` : ''}> ${t(`privacy.centre.effects.${e}`)}</label>`,
      )}</fieldset>`
    : html`<p>${t('privacy.centre.effect')}: ${t(`privacy.centre.effects.${effects[0] ?? 'stop_processing'}`)}</p><input type="hidden" name="effect" value="${effects[0] ?? 'stop_processing'}">`
}
<div class="field"><label class="field-label" for="withdraw-password">${t('privacy.centre.password')}</label><input class="input" id="withdraw-password" name="password" type="password" autocomplete="current-password" required${problems.withdraw ? html` aria-invalid="true" aria-describedby="withdraw-error"` : ''}></div>
<button class="button button-danger" type="submit">${t('privacy.centre.withdrawButton')}</button></form>`
    const dpo = o.dpo
    const main = html`<h1>${t('privacy.centre.title')}</h1>
<p class="lead-text">${t('privacy.centre.lead')}</p>
${query.recorded ? statusMessage(t('privacy.centre.recorded')) : ''}
${query.complaint ? statusMessage(t('privacy.complaints.filed')) : ''}
<nav class="privacy-toc" aria-label="${t('privacy.centre.title')}"><ul><li><a href="#data">${t('privacy.centre.held')}</a></li><li><a href="#purposes">${t('privacy.centre.purposes')}</a></li><li><a href="/privacy/consents">${t('privacy.centre.consents')}</a></li><li><a href="#policy">${t('privacy.centre.policy')}</a></li><li><a href="#withdraw">${t('privacy.centre.withdraw')}</a></li>${guardian ? html`<li><a href="/privacy/children">${t('privacy.children.title')}</a></li>` : ''}<li><a href="#close">${t('privacy.close.title')}</a></li><li><a href="#contact">${t('privacy.centre.contacts')}</a></li></ul></nav>
<section id="purposes" aria-labelledby="purposes-title"><h2 id="purposes-title">${t('privacy.centre.purposes')}</h2><ul class="purpose-list">${purposeItems.filter((_, i) => states[i]?.basis === 'consent')}</ul>
<h3>${t('privacy.centre.essential')}</h3><ul class="purpose-list purpose-list-essential">${purposeItems.filter((_, i) => states[i]?.basis === 'essential')}</ul></section>
${heldSection(t, locale, { value: values, revealed: reveal }, req.ctx.now)}
<section id="policy" aria-labelledby="policy-title"><h2 id="policy-title">${t('privacy.centre.policy')}</h2>
${policy ? html`<p><a href="/policy">${t('privacy.centre.currentPolicy', { number: policy.number, date: formatDate(locale, policy.effectiveAt) })}</a></p>` : ''}
<p><a href="/policy/versions/${String(policy?.number ?? 1)}#changes">${t('privacy.centre.allVersions')}</a></p></section>
<section id="withdraw" aria-labelledby="withdraw-title"><h2 id="withdraw-title">${t('privacy.centre.withdraw')}</h2><p>${t('privacy.centre.withdrawLead')}</p>${withdrawForm}</section>
${guardian ? html`<section id="children" aria-labelledby="children-title"><h2 id="children-title">${t('privacy.children.title')}</h2><p>${t('privacy.children.centreLead')}</p><p><a class="button button-secondary" href="/privacy/children">${t('privacy.children.open')}</a></p></section>` : ''}
<section id="close" aria-labelledby="close-title"><h2 id="close-title">${t('privacy.close.title')}</h2><p>${t('privacy.close.centreLead')}</p><p><a class="button button-secondary" href="/privacy/close">${t('privacy.close.open')}</a></p></section>
<section id="contact" aria-labelledby="contact-title"><h2 id="contact-title">${t('privacy.centre.contacts')}</h2>
<dl class="held-facts"><dt>${t('privacy.policy.operator')}</dt><dd>${o.legalName[locale]}${o.address ? html`<br>${o.address[locale]}` : ''}${o.phone ? html`<br>${o.phone}` : ''}${o.email ? html`<br><a href="mailto:${o.email}">${o.email}</a>` : ''}<br><a href="${o.website}">${o.website}</a></dd>
<dt>${dpo ? dpo.title[locale] : t('privacy.receipt.other.dpo')}</dt><dd>${dpo ? [dpo.email, dpo.phone].filter(Boolean).join(', ') || '—' : t('privacy.receipt.other.dpoOperator')}</dd></dl>
<h3>${t('privacy.centre.complain')}</h3>
<p>${t('privacy.centre.complainText', { body: profile.complaints.authorisedBody.name[locale], court: profile.complaints.court[locale] })}</p>
${problems.complaint ? formError('complaint-error', problems.complaint) : ''}
${mine.length > 0 ? html`<h3>${t('privacy.complaints.mine')}</h3><ul class="complaint-list">${mine.map((c) => html`<li>${formatDateTimeShort(locale, c.createdAt)} — ${c.status === 'open' ? t('privacy.complaints.open') : t('privacy.complaints.closed')}</li>`)}</ul>` : ''}
<form method="post" action="/privacy/complaints" class="complaint-form">${csrfField(csrf)}<div class="field"><label class="field-label" for="complaint-text">${t('privacy.complaints.label')}</label><p class="field-hint" id="complaint-hint">${t('privacy.complaints.hint')}</p><textarea class="input" id="complaint-text" name="text" rows="5" maxlength="5000" required aria-describedby="complaint-hint${problems.complaint ? ' complaint-error' : ''}"${problems.complaint ? html` aria-invalid="true"` : ''}>${problems.complaintText ?? ''}</textarea></div><button class="button button-secondary" type="submit">${t('privacy.complaints.send')}</button></form>
</section>`
    return reply
      .code(status)
      .header('cache-control', 'private, no-store')
      .type('text/html; charset=utf-8')
      .send(privacyPage(views, req, { title: t('privacy.centre.title'), main }))
  }

  app.get('/privacy', { ...signedIn, schema: { hide: true } }, async (req, reply) => render(req, reply))

  app.post('/privacy/purposes', { ...signedIn, schema: { hide: true, body: PurposeBody } }, async (req, reply) => {
    const subjectId = me(req)
    await purposes.set(req.ctx, {
      subjectId,
      purpose: req.body.purpose,
      on: req.body.on === '1',
      locale: req.ctx.locale,
    })
    return reply.redirect(`/privacy?recorded=1#purpose-${encodeURIComponent(req.body.purpose)}`, 303)
  })

  app.post('/privacy/withdraw', { ...signedIn, schema: { hide: true, body: WithdrawBody } }, async (req, reply) => {
    const subjectId = me(req)
    const t = translator(i18n, req.ctx.locale)
    try {
      const record = await withdrawal.withdraw(req.ctx, {
        subjectId,
        password: req.body.password,
        effect: (req.body.effect ?? 'stop_processing') as WithdrawalEffect,
        locale: req.ctx.locale,
      })
      return reply.redirect(`/privacy/consents/${record.id}/receipt`, 303)
    } catch (err) {
      if (err instanceof WithdrawalRefusedError) {
        const reasons = html`<p>${t('privacy.centre.refusedBecause')}</p><ul>${err.reasons.map((r) => html`<li>${t(r)}</li>`)}</ul>`
        return render(req, reply, { withdraw: formError('withdraw-error', t(err.messageKey), reasons) }, err.status)
      }
      if (err instanceof PasswordIncorrectError || err instanceof DomainError)
        return render(req, reply, { withdraw: formError('withdraw-error', t(err.messageKey, err.params)) }, err.status)
      throw err
    }
  })

  app.post('/privacy/complaints', { ...signedIn, schema: { hide: true, body: ComplaintBody } }, async (req, reply) => {
    const subjectId = me(req)
    try {
      await complaints.file(req.ctx, { subjectId, text: req.body.text })
    } catch (err) {
      if (!(err instanceof DomainError)) throw err
      const t = translator(i18n, req.ctx.locale)
      return render(req, reply, { complaint: t(err.messageKey, err.params), complaintText: req.body.text }, err.status)
    }
    return reply.redirect('/privacy?complaint=1#contact', 303)
  })

  app.get('/privacy/consents', { ...signedIn, schema: { hide: true } }, async (req, reply) => {
    const subjectId = me(req)
    const locale = req.ctx.locale
    const t = translator(i18n, locale)
    const all = [...(await consents.recordsOf(req.ctx.db, subjectId))].reverse()
    const pages = Math.max(1, Math.ceil(all.length / HISTORY_PAGE))
    const page = Math.min(pages, Math.max(1, Number((req.query as Record<string, string>).page) || 1))
    const records = all.slice((page - 1) * HISTORY_PAGE, page * HISTORY_PAGE)
    const pager =
      pages > 1
        ? html`<nav class="pager" aria-label="${t('privacy.centre.pages')}"><p>${t('privacy.centre.pageOf', { page, pages })}</p>${page > 1 ? html`<a rel="prev" href="/privacy/consents?page=${String(page - 1)}">${t('privacy.centre.newer')}</a>` : ''} ${page < pages ? html`<a rel="next" href="/privacy/consents?page=${String(page + 1)}">${t('privacy.centre.older')}</a>` : ''}</nav>`
        : ''
    const rows = records.map(
      (r) =>
        html`<tr><td class="mono">${formatDateTimeShort(locale, r.decidedAt)}</td><td>${t(`privacy.kinds.${r.kind}`)}${r.purpose ? html` — ${t(`privacy.purposes.${r.purpose}`)}` : ''}</td><td>${t(`privacy.channels.${r.channel}`)}</td><td><a href="/privacy/consents/${r.id}/receipt">${t('privacy.centre.receipt')}</a> · <a href="/privacy/consents/${r.id}/receipt.pdf">PDF</a></td></tr>`,
    )
    const main = html`<p><a href="/privacy">${t('privacy.centre.title')}</a></p><h1>${t('privacy.centre.consents')}</h1>
${
  records.length === 0
    ? html`<p>${t('privacy.centre.noConsents')}</p>`
    : html`<div class="table-wrap"><table class="data-table"><thead><tr><th scope="col">${t('privacy.centre.date')}</th><th scope="col">${t('privacy.centre.decision')}</th><th scope="col">${t('privacy.centre.channel')}</th><th scope="col">${t('privacy.centre.receipt')}</th></tr></thead><tbody>${rows}</tbody></table></div>${pager}`
}`
    return reply
      .header('cache-control', 'private, no-store')
      .type('text/html; charset=utf-8')
      .send(privacyPage(views, req, { title: t('privacy.centre.consents'), main }))
  })

  app.get('/privacy/unsubscribe', { schema: { hide: true, querystring: UnsubscribeQuery } }, async (req, reply) => {
    const subjectId = deps.marketing.unsubscribeSubject(req.query.u, req.query.s)
    if (!subjectId) throw new AppError('not_found')
    const t = translator(i18n, req.ctx.locale)
    const main = html`<div class="narrow"><h1>${t('privacy.unsubscribe.title')}</h1><p>${t('privacy.unsubscribe.lead')}</p>
<form method="post" action="/privacy/unsubscribe">${csrfField(reply.generateCsrf())}<input type="hidden" name="u" value="${req.query.u}"><input type="hidden" name="s" value="${req.query.s}"><button class="button button-primary" type="submit">${t('privacy.unsubscribe.button')}</button></form></div>`
    reply.header('cache-control', 'private, no-store').header('referrer-policy', 'no-referrer')
    return reply
      .type('text/html; charset=utf-8')
      .send(privacyPage(views, req, { title: t('privacy.unsubscribe.title'), main }))
  })

  app.post('/privacy/unsubscribe', { schema: { hide: true, body: UnsubscribeBody } }, async (req, reply) => {
    const subjectId = deps.marketing.unsubscribeSubject(req.body.u, req.body.s)
    if (!subjectId) throw new AppError('not_found')
    if (await purposes.allows(req.ctx.db, subjectId, 'marketing'))
      await purposes.set(req.ctx, {
        subjectId,
        purpose: 'marketing',
        on: false,
        locale: req.ctx.locale,
        channel: 'web',
      })
    const t = translator(i18n, req.ctx.locale)
    const main = html`<div class="narrow"><h1>${t('privacy.unsubscribe.title')}</h1>${statusMessage(t('privacy.unsubscribe.done'))}<p><a href="/privacy#purposes">${t('privacy.centre.title')}</a></p></div>`
    reply.header('cache-control', 'private, no-store')
    return reply
      .type('text/html; charset=utf-8')
      .send(privacyPage(views, req, { title: t('privacy.unsubscribe.title'), main }))
  })
}

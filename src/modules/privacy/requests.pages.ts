/**
 * Data change requests on the DPO's desk (T-5.2.2; role `dpo` only, anyone else gets 404):
 *   GET  /dpo/requests                 the queue by status (open, approved, rejected), pages of 50:
 *                                      field and dates only — no value, no name
 *   POST /dpo/requests/:id/open        the DPO's explicit act of opening one: the requested value, the
 *                                      reason, the current value and the requester's name (audited
 *                                      `account.change_request_viewed`); a POST, so no prefetch reveals it
 *   POST /dpo/requests/:id/decide      approve, or refuse with a reason; the requester is e-mailed
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { DomainError } from '../../platform/errors'
import { AppError } from '../../platform/http/errors'
import type { HttpApp } from '../../platform/http/http-app'
import type { I18n } from '../../platform/i18n/i18n'
import { html, type SafeHtml } from '../../platform/views/html'
import type { Views } from '../../platform/views/layout'
import { canUseDpoDesk } from './privacy.policies'
import {
  csrfField,
  formatDateTimeShort,
  formError,
  privacyPage,
  statusMessage,
  translator,
  type T,
} from './privacy.views'
import {
  CHANGE_REQUEST_STATUSES,
  NOTE_MAX_LENGTH,
  type ChangeRequestDesk,
  type DeskRequestStatus,
} from './requests.service'

export interface RequestPagesDeps {
  views: Views
  i18n: I18n
  desk: ChangeRequestDesk
  requireUser: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>
}

const Status = Type.Union(CHANGE_REQUEST_STATUSES.map((s) => Type.Literal(s)))
const ListQuery = Type.Object({
  status: Type.Optional(Status),
  page: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,4}$' })),
  decided: Type.Optional(Type.String({ maxLength: 20 })),
})
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
const DecideBody = Type.Object({
  _csrf: Type.Optional(Type.String()),
  decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
  note: Type.Optional(Type.String({ maxLength: 4000 })),
})

const fieldLabel = (t: T, field: string) => t(`accounts.register.fields.${field}.label`)
const statusLabel = (t: T, status: string) => t(`privacy.requests.status.${status}`)

export function registerRequestPages(app: HttpApp, deps: RequestPagesDeps): void {
  const { views, i18n, desk } = deps
  const onlyDpo = async (req: FastifyRequest) => {
    if (!canUseDpoDesk(req.ctx.actor)) throw new AppError('not_found')
  }
  const guard = { preHandler: [deps.requireUser, onlyDpo] }
  const send = (req: FastifyRequest, reply: FastifyReply, title: string, main: SafeHtml, status = 200) =>
    reply
      .code(status)
      .header('cache-control', 'private, no-store')
      .type('text/html; charset=utf-8')
      .send(privacyPage(views, req, { title, main }))

  app.get('/dpo/requests', { ...guard, schema: { hide: true, querystring: ListQuery } }, async (req, reply) => {
    const locale = req.ctx.locale
    const t = translator(i18n, locale)
    const status: DeskRequestStatus = req.query.status ?? 'open'
    const page = Number(req.query.page ?? '1')
    const { requests, more } = await desk.list(req.ctx, status, page)
    const csrf = reply.generateCsrf()
    const url = (s: DeskRequestStatus, p = 1) => `/dpo/requests?status=${s}${p > 1 ? `&page=${String(p)}` : ''}`
    const tabs = html`<nav class="request-tabs" aria-label="${t('privacy.requests.byStatus')}"><ul>${CHANGE_REQUEST_STATUSES.map(
      (s) =>
        html`<li><a href="${url(s)}"${s === status ? html` aria-current="page"` : ''}>${t(`privacy.requests.tabs.${s}`)}</a></li>`,
    )}</ul></nav>`
    const rows = requests.map(
      (r) =>
        html`<tr><td class="mono">${formatDateTimeShort(locale, r.createdAt)}</td><td>${fieldLabel(t, r.field)}</td><td>${statusLabel(t, r.status)}</td><td>${r.decidedAt ? formatDateTimeShort(locale, r.decidedAt) : '—'}</td><td><form class="inline-form" method="post" action="/dpo/requests/${r.id}/open">${csrfField(csrf)}<button class="button button-secondary" type="submit" aria-label="${`${t('privacy.requests.open')}: ${fieldLabel(t, r.field)}, ${formatDateTimeShort(locale, r.createdAt)}`}">${t('privacy.requests.open')}</button></form></td></tr>`,
    )
    const pager =
      page > 1 || more
        ? html`<nav class="pager" aria-label="${t('privacy.requests.pages')}"><p>${t('privacy.requests.page', { page })}</p>${page > 1 ? html`<a rel="prev" href="${url(status, page - 1)}">${t('privacy.requests.previous')}</a>` : ''} ${more ? html`<a rel="next" href="${url(status, page + 1)}">${t('privacy.requests.next')}</a>` : ''}</nav>`
        : ''
    const decided = req.query.decided === 'approved' || req.query.decided === 'rejected' ? req.query.decided : null
    const main = html`<p><a href="/dpo">${t('privacy.dpo.title')}</a></p><h1>${t('privacy.requests.title')}</h1>
<p class="lead-text">${t('privacy.requests.lead')}</p>
${decided ? statusMessage(t(`privacy.requests.decided.${decided}`)) : ''}
${tabs}
${
  requests.length === 0
    ? html`<p>${t('privacy.requests.none')}</p>`
    : html`<div class="table-wrap"><table class="data-table"><caption class="visually-hidden">${t(`privacy.requests.tabs.${status}`)}</caption><thead><tr><th scope="col">${t('privacy.requests.filed')}</th><th scope="col">${t('privacy.requests.field')}</th><th scope="col">${t('privacy.dpo.status')}</th><th scope="col">${t('privacy.requests.decidedAt')}</th><th scope="col">${t('privacy.requests.action')}</th></tr></thead><tbody>${rows}</tbody></table></div>${pager}`
}`
    return send(req, reply, t('privacy.requests.title'), main)
  })

  async function renderOpened(
    req: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    problem?: { message: string; note: string },
    status = 200,
  ) {
    const locale = req.ctx.locale
    const t = translator(i18n, locale)
    const r = await desk.open(req.ctx, req.params.id)
    const csrf = reply.generateCsrf()
    const form =
      r.status === 'open'
        ? html`<form method="post" action="/dpo/requests/${r.id}/decide" class="decide-form">${csrfField(csrf)}
<div class="field"><label class="field-label" for="decide-note">${t('privacy.requests.note')}</label><p class="field-hint" id="decide-note-hint">${t('privacy.requests.noteHint', { max: NOTE_MAX_LENGTH })}</p><textarea class="input" id="decide-note" name="note" rows="4" maxlength="${String(NOTE_MAX_LENGTH)}" aria-describedby="decide-note-hint${problem ? ' decide-error' : ''}"${problem ? html` aria-invalid="true"` : ''}>${problem?.note ?? ''}</textarea></div>
<div class="actions-row"><button class="button button-primary" type="submit" name="decision" value="approve">${t('privacy.requests.approve')}</button><button class="button button-danger" type="submit" name="decision" value="reject">${t('privacy.requests.reject')}</button></div></form>`
        : ''
    const main = html`<p><a href="/dpo/requests?status=${r.status}">${t('privacy.requests.title')}</a></p><h1>${t('privacy.requests.one', { field: fieldLabel(t, r.field) })}</h1>
<p class="muted">${t('privacy.requests.audited')}</p>
<dl class="held-facts"><dt>${t('privacy.requests.requester')}</dt><dd>${r.name ?? '—'}</dd>
<dt>${t('privacy.requests.filed')}</dt><dd>${formatDateTimeShort(locale, r.createdAt)}</dd>
<dt>${t('privacy.dpo.status')}</dt><dd>${statusLabel(t, r.status)}${r.decidedAt ? html` · ${formatDateTimeShort(locale, r.decidedAt)}` : ''}</dd>
<dt>${t('privacy.requests.current')}</dt><dd class="mono">${r.current ?? '—'}</dd>
<dt>${t('privacy.requests.value')}</dt><dd class="mono">${r.value}</dd>
<dt>${t('privacy.requests.reason')}</dt><dd>${r.reason ?? '—'}</dd></dl>
${problem ? formError('decide-error', problem.message) : ''}${form}`
    return send(req, reply, t('privacy.requests.one', { field: fieldLabel(t, r.field) }), main, status)
  }

  app.post('/dpo/requests/:id/open', { ...guard, schema: { hide: true, params: IdParams } }, async (req, reply) =>
    renderOpened(req, reply),
  )

  app.post(
    '/dpo/requests/:id/decide',
    { ...guard, schema: { hide: true, params: IdParams, body: DecideBody } },
    async (req, reply) => {
      const note = req.body.note ?? ''
      try {
        const { status } = await desk.decide(req.ctx, req.params.id, req.body.decision, note)
        return reply.redirect(`/dpo/requests?decided=${status}`, 303)
      } catch (err) {
        if (!(err instanceof DomainError)) throw err
        const t = translator(i18n, req.ctx.locale)
        return renderOpened(req, reply, { message: t(err.messageKey, err.params), note }, err.status)
      }
    },
  )
}

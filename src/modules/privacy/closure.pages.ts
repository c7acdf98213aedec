/**
 * Closing one's account from the privacy centre and from the policy banner's
 * "I do not accept" path (T-1.2: a person who does not accept must stop
 * using the site):
 *   GET  /privacy/close   what closing means (no more sign-in, sessions end, consent withdrawn with a
 *                         signed receipt, data kept until the retention date, then destroyed), or why not now
 *   POST /privacy/close   confirmed by the password; then the signed receipt on the same page (the person
 *                         is signed out, so it cannot be fetched later at its URL)
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { DomainError } from '../../platform/errors'
import { AppError } from '../../platform/http/errors'
import type { HttpApp } from '../../platform/http/http-app'
import type { I18n } from '../../platform/i18n/i18n'
import { html, type SafeHtml } from '../../platform/views/html'
import type { Views } from '../../platform/views/layout'
import type { ClosureService } from './closure.service'
import { WithdrawalRefusedError } from './privacy.errors'
import { isPerson } from './privacy.policies'
import type { Profile } from './profiles'
import { csrfField, formatDate, formError, privacyPage, statusMessage, translator, type T } from './privacy.views'
import { presentReceipt } from './receipts.presenter'
import { renderReceiptHtml } from './receipts.pages'
import type { ReceiptService } from './receipts.service'
import { startOfAlmatyDay } from './calendar'

export interface ClosurePagesDeps {
  views: Views
  i18n: I18n
  profile: Profile
  closure: ClosureService
  receipts: Pick<ReceiptService, 'consentReceipt'>
  requireUser: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>
}

const CloseBody = Type.Object({
  _csrf: Type.Optional(Type.String()),
  password: Type.String({ maxLength: 300 }),
})

function reasonsList(t: T, reasons: readonly string[]): SafeHtml {
  return html`<p>${t('privacy.centre.refusedBecause')}</p><ul>${reasons.map((r) => html`<li>${t(r)}</li>`)}</ul>`
}

export function registerClosurePages(app: HttpApp, deps: ClosurePagesDeps): void {
  const { views, i18n, profile, closure } = deps
  const signedIn = { preHandler: deps.requireUser }
  const me = (req: FastifyRequest) => {
    const actor = req.ctx.actor
    if (!isPerson(actor)) throw new AppError('unauthenticated')
    return actor.id
  }

  async function render(req: FastifyRequest, reply: FastifyReply, problem?: SafeHtml, status = 200) {
    const subjectId = me(req)
    const locale = req.ctx.locale
    const t = translator(i18n, locale)
    const preview = await closure.preview(req.ctx, subjectId)
    const until = formatDate(locale, startOfAlmatyDay(preview.retentionUntil))
    const rule =
      profile.retention.from === 'last_activity'
        ? t('privacy.close.retentionActivity', { years: profile.retention.years, date: until })
        : t('privacy.close.retentionAgreement', { years: profile.retention.years, date: until })
    const form =
      preview.reasons.length > 0
        ? formError('close-error', t('privacy.errors.withdrawal_refused'), reasonsList(t, preview.reasons))
        : html`${problem ?? ''}<form method="post" action="/privacy/close" class="withdraw-form close-form">${csrfField(reply.generateCsrf())}
<div class="field"><label class="field-label" for="close-password">${t('privacy.centre.password')}</label><p class="field-hint" id="close-hint">${t('privacy.close.passwordHint')}</p><input class="input" id="close-password" name="password" type="password" autocomplete="current-password" required aria-describedby="close-hint${problem ? ' close-error' : ''}"${problem ? html` aria-invalid="true"` : ''}></div>
<div class="actions-row"><button class="button button-danger" type="submit">${t('privacy.close.button')}</button><a class="button button-secondary" href="/privacy">${t('privacy.close.cancel')}</a></div></form>`
    const main = html`<p><a href="/privacy">${t('privacy.centre.title')}</a></p>
<section class="narrow close-account" aria-labelledby="close-title"><h1 id="close-title">${t('privacy.close.title')}</h1>
<p class="lead-text">${t('privacy.close.lead')}</p>
<h2>${t('privacy.close.whatHappens')}</h2>
<ul class="close-effects"><li>${t('privacy.close.effectSignIn')}</li><li>${t('privacy.close.effectSessions')}</li><li>${t('privacy.close.effectConsent')}</li><li>${rule}</li><li>${t('privacy.close.effectLedger')}</li></ul>
${form}</section>`
    return reply
      .code(status)
      .header('cache-control', 'private, no-store')
      .type('text/html; charset=utf-8')
      .send(privacyPage(views, req, { title: t('privacy.close.title'), main }))
  }

  app.get('/privacy/close', { ...signedIn, schema: { hide: true } }, async (req, reply) => render(req, reply))

  app.post('/privacy/close', { ...signedIn, schema: { hide: true, body: CloseBody } }, async (req, reply) => {
    const subjectId = me(req)
    const locale = req.ctx.locale
    const t = translator(i18n, locale)
    let done: Awaited<ReturnType<ClosureService['close']>>
    try {
      done = await closure.close(req.ctx, { subjectId, password: req.body.password, locale })
    } catch (err) {
      if (err instanceof WithdrawalRefusedError)
        return render(req, reply, formError('close-error', t(err.messageKey), reasonsList(t, err.reasons)), err.status)
      if (err instanceof DomainError)
        return render(req, reply, formError('close-error', t(err.messageKey, err.params)), err.status)
      throw err
    }
    const receipt = presentReceipt(await deps.receipts.consentReceipt(req.ctx, done.record.id), i18n)
    // Signed out from here on: the page is drawn for a visitor, with no banner.
    req.ctx.actor = null
    req.policyBanner = null
    const until = formatDate(locale, startOfAlmatyDay(done.closure.retentionUntil))
    const main = html`<div class="narrow">${statusMessage(t('privacy.close.done'))}
<p>${t('privacy.close.doneRetention', { date: until })}</p><p>${t('privacy.close.doneReceipt')}</p></div>
${renderReceiptHtml(receipt)}`
    return reply
      .header('cache-control', 'private, no-store')
      .type('text/html; charset=utf-8')
      .send(privacyPage(views, req, { title: t('privacy.close.doneTitle'), main }))
  })
}

/**
 * The receipt of a consent record (law Art. 8(4)) as a page and as a PDF, in
 * the reader's language, at stable URLs:
 *   GET /privacy/consents/:id/receipt      HTML
 *   GET /privacy/consents/:id/receipt.pdf  PDF (download)
 * Only the subject, their legal representative or a DPO may open it; the
 * caller decides through `authorize`. A refusal looks exactly like an
 * unknown id (404), so the URL does not reveal whether a record exists.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { AppError } from '../../platform/http/errors'
import type { HttpApp } from '../../platform/http/http-app'
import type { I18n } from '../../platform/i18n/i18n'
import { html, type SafeHtml } from '../../platform/views/html'
import type { Views } from '../../platform/views/layout'
import type { ConsentRecord, ConsentService } from './consents.service'
import { renderReceiptPdf } from './receipts.pdf'
import { presentReceipt, type ReceiptItem, type ReceiptView } from './receipts.presenter'
import type { ReceiptService } from './receipts.service'

/** Decides whether the requester may read this record's receipt (subject, guardian, DPO). */
export type ReceiptAuthorizer = (req: FastifyRequest, record: ConsentRecord) => boolean | Promise<boolean>

export interface ReceiptPagesDeps {
  consents: Pick<ConsentService, 'findRecord'>
  receipts: ReceiptService
  views: Views
  i18n: I18n
  authorize: ReceiptAuthorizer
}

const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })

function itemBody(item: ReceiptItem): SafeHtml {
  if (item.list) return html`<ul>${item.list.map((entry) => html`<li>${entry}</li>`)}</ul>`
  if (item.facts)
    return html`<dl class="receipt-facts">${item.facts.map((f) => html`<dt>${f.label}</dt><dd>${f.value}</dd>`)}</dl>`
  return html`<p>${item.text ?? ''}</p>`
}

/** The receipt page's main content; without `pdf` (a person just signed out by closing), no download link. */
export function renderReceiptHtml(view: ReceiptView, pdf?: { url: string; label: string }): SafeHtml {
  return html`<article class="receipt" aria-labelledby="receipt-title">
<p class="eyebrow">${view.operatorName}</p>
<h1 id="receipt-title">${view.title}</h1>
<p class="section-lead">${view.lead}</p>
<ol class="receipt-items">${view.items.map(
    (item) => html`<li id="item-${String(item.number)}"><h2>${item.label}</h2>${itemBody(item)}</li>`,
  )}</ol>
<p class="receipt-issued">${view.issued}</p>
${pdf ? html`<p class="actions"><a class="button button-primary" href="${pdf.url}" download>${pdf.label}</a></p>` : ''}
</article>`
}

/** Registers the receipt page and PDF; `authorize` comes from the caller (sessions live in accounts). */
export function registerReceiptPages(app: HttpApp, deps: ReceiptPagesDeps): void {
  const { consents, receipts, views, i18n, authorize } = deps

  async function load(req: FastifyRequest, reply: FastifyReply, id: string): Promise<ReceiptView> {
    const record = await consents.findRecord(req.ctx.db, id)
    if (!record || !(await authorize(req, record))) throw new AppError('not_found')
    const receipt = await receipts.consentReceipt(req.ctx, record.id)
    // The receipt names a person: never cached by shared caches or kept by the browser.
    reply.header('cache-control', 'private, no-store').header('content-language', receipt.locale)
    reply.header('vary', 'Accept-Language, Cookie')
    return presentReceipt(receipt, i18n)
  }

  app.get('/privacy/consents/:id/receipt', { schema: { hide: true, params: Params } }, async (req, reply) => {
    const view = await load(req, reply, req.params.id)
    const pdfUrl = `/privacy/consents/${encodeURIComponent(req.params.id)}/receipt.pdf`
    const main = renderReceiptHtml(view, { url: pdfUrl, label: i18n.t(view.locale, 'privacy.receipt.pdf') })
    return reply.type('text/html; charset=utf-8').send(views.page(req, { title: view.title, main }))
  })

  app.get('/privacy/consents/:id/receipt.pdf', { schema: { hide: true, params: Params } }, async (req, reply) => {
    const view = await load(req, reply, req.params.id)
    const pdf = await renderReceiptPdf(view, req.ctx.now)
    const name = `consent-receipt-${req.params.id.slice(0, 36)}-${view.locale}.pdf`.replace(/[^A-Za-z0-9._-]/g, '')
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(Buffer.from(pdf))
  })
}

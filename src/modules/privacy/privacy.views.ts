/**
 * Pieces of the privacy pages: the policy-change banner, the diff between
 * two versions (ins/del with visible words "added"/"removed", never colour
 * alone), dates in Almaty time, labelled fields and the module's page frame
 * (public/privacy.css, plus the generic form pieces of public/accounts.css).
 */
import type { FastifyRequest } from 'fastify'
import type { Locale } from '../../platform/context'
import type { I18n, MessageValues } from '../../platform/i18n/i18n'
import { assetUrl } from '../../platform/views/assets'
import { html, type SafeHtml } from '../../platform/views/html'
import type { PageInput, Views } from '../../platform/views/layout'
import type { PolicyBanner } from './acceptance.service'
import { TIME_ZONE } from './calendar'
import type { DiffBlock, PolicyDiff } from './policy-diff'

export type T = (key: string, values?: MessageValues) => string

export const translator =
  (i18n: I18n, locale: Locale): T =>
  (key, values) =>
    i18n.t(locale, key, values)

/** A date as people in Kazakhstan read it (Almaty). */
export function formatDate(locale: Locale, at: Date): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: TIME_ZONE }).format(at)
}

/** A date and time (Almaty). */
export function formatDateTimeShort(locale: Locale, at: Date): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE }).format(at)
}

/** A page of the privacy module: its stylesheet and the generic form pieces. */
export function privacyPage(views: Views, req: FastifyRequest, input: PageInput): string {
  const styles = html`<link rel="stylesheet" href="${assetUrl('accounts.css')}"><link rel="stylesheet" href="${assetUrl('privacy.css')}">`
  return views.page(req, { ...input, main: html`${styles}<div class="privacy-page">${input.main}</div>` })
}

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`
}

export function statusMessage(message: string): SafeHtml {
  return html`<p class="notice notice-success" role="status">${message}</p>`
}

export function formError(id: string, message: string, detail?: SafeHtml): SafeHtml {
  return html`<div class="form-error" id="${id}" role="alert" tabindex="-1"><p class="form-error-title">${message}</p>${detail ?? ''}</div>`
}

function marker(label: string, sign: string): SafeHtml {
  return html`<span class="diff-mark" aria-hidden="true">${sign}</span><span class="diff-label">${label}</span>`
}

function block(b: DiffBlock, t: T): SafeHtml {
  if (b.kind === 'same') return html`<div class="diff-block diff-same"><p>${b.text}</p></div>`
  if (b.kind === 'added')
    return html`<div class="diff-block diff-added">${marker(t('privacy.policy.added'), '+')}<p><ins>${b.text}</ins></p></div>`
  if (b.kind === 'removed')
    return html`<div class="diff-block diff-removed">${marker(t('privacy.policy.removed'), '−')}<p><del>${b.text}</del></p></div>`
  const added = t('privacy.policy.added')
  const removed = t('privacy.policy.removed')
  const words = b.words.map((w) =>
    w.kind === 'same'
      ? html`${w.text}`
      : w.kind === 'added'
        ? html`<ins><span class="visually-hidden">[${added}: </span>${w.text}<span class="visually-hidden">]</span></ins>`
        : html`<del><span class="visually-hidden">[${removed}: </span>${w.text}<span class="visually-hidden">]</span></del>`,
  )
  return html`<div class="diff-block diff-changed">${marker(t('privacy.policy.changed'), '±')}<p>${words}</p></div>`
}

/** Unchanged paragraphs kept visible around each change, for context. */
const CONTEXT = 1

/**
 * The diff of two versions: a legend, counts, then every paragraph marked kept, added, removed or changed;
 * long runs of unchanged paragraphs fold into a native disclosure (no script needed).
 */
export function renderDiff(diff: PolicyDiff, t: T): SafeHtml {
  const out: SafeHtml[] = []
  const blocks = diff.blocks
  let i = 0
  while (i < blocks.length) {
    if (blocks[i]!.kind !== 'same') {
      out.push(block(blocks[i]!, t))
      i++
      continue
    }
    let j = i
    while (j < blocks.length && blocks[j]!.kind === 'same') j++
    const run = blocks.slice(i, j)
    const head = i === 0 ? 0 : CONTEXT
    const tail = j === blocks.length ? 0 : CONTEXT
    if (run.length <= head + tail + 1) out.push(...run.map((b) => block(b, t)))
    else {
      out.push(...run.slice(0, head).map((b) => block(b, t)))
      const folded = run.slice(head, run.length - tail)
      out.push(
        html`<details class="diff-unchanged"><summary>${t('privacy.policy.unchanged', { count: folded.length })}</summary>${folded.map((b) => block(b, t))}</details>`,
      )
      out.push(...run.slice(run.length - tail).map((b) => block(b, t)))
    }
    i = j
  }
  return html`<p class="diff-legend">${t('privacy.policy.legend')}</p>
<p class="diff-summary">${t('privacy.policy.summary', { added: diff.added, removed: diff.removed, changed: diff.changed })}</p>
<div class="policy-diff">${out}</div>`
}

/** The banner about a newer policy version the person has not accepted (every page, signed in). */
export function renderBanner(banner: PolicyBanner, locale: Locale, t: T, csrf: string | undefined): SafeHtml {
  const v = banner.version
  const when = formatDate(locale, v.effectiveAt)
  const rule = banner.clickToAccept
    ? t('privacy.banner.implied', { date: formatDate(locale, banner.impliedFrom ?? v.effectiveAt) })
    : t('privacy.banner.byUse')
  const accept =
    banner.clickToAccept && csrf
      ? html`<form class="inline-form" method="post" action="/policy/accept">${csrfField(csrf)}<input type="hidden" name="version" value="${String(v.number)}"><button class="button button-primary" type="submit">${t('privacy.banner.accept')}</button></form>`
      : ''
  return html`<link rel="stylesheet" href="${assetUrl('privacy.css')}"><aside class="policy-banner" aria-labelledby="policy-banner-title">
<div class="container policy-banner-inner">
<p class="policy-banner-title" id="policy-banner-title"><strong>${t('privacy.banner.title', { number: v.number })}</strong> ${banner.inForce ? t('privacy.banner.inForce', { date: when }) : t('privacy.banner.effective', { date: when })}</p>
<p>${rule}</p>
<div class="actions-row"><a class="button button-secondary" href="/policy/versions/${String(v.number)}#changes">${t('privacy.banner.diff')}</a>${accept}<a class="policy-banner-close" href="/privacy/close">${t('privacy.banner.close')}</a></div>
</div>
</aside>`
}

/**
 * The DPO's desk (role `dpo` only; anyone else gets 404):
 *   GET  /dpo                 versions with notice progress, the draft, its diff, publication, complaints
 *   POST /dpo/draft           save the draft (kk, ru, en Markdown)
 *   POST /dpo/publish         publish the draft with an effective date (the profile's notice rule)
 *   POST /dpo/complaints/:id/close
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { LOCALES, type Locale } from '../../platform/context'
import { DomainError } from '../../platform/errors'
import { AppError } from '../../platform/http/errors'
import type { HttpApp } from '../../platform/http/http-app'
import { LANGUAGE_NAMES, type I18n } from '../../platform/i18n/i18n'
import { html, type SafeHtml } from '../../platform/views/html'
import type { Views } from '../../platform/views/layout'
import type { ComplaintsService } from './complaints.service'
import type { NoticesService } from './notices.service'
import type { PolicyService } from './policies.service'
import type { PolicyTexts, PolicyVersionsService } from './policy-versions.service'
import { canUseDpoDesk } from './privacy.policies'
import type { Profile } from './profiles'
import {
  csrfField,
  formatDate,
  formatDateTimeShort,
  formError,
  privacyPage,
  renderDiff,
  statusMessage,
  translator,
  type T,
} from './privacy.views'

export interface DpoPagesDeps {
  views: Views
  i18n: I18n
  profile: Profile
  policies: Pick<PolicyService, 'currentPolicy'>
  versions: PolicyVersionsService
  notices: NoticesService
  complaints: ComplaintsService
  requireUser: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>
}

interface Problems {
  draft?: string
  publish?: string
  texts?: PolicyTexts
  effectiveDate?: string
}

const DraftBody = Type.Object({
  _csrf: Type.Optional(Type.String()),
  kk: Type.String({ maxLength: 210_000 }),
  ru: Type.String({ maxLength: 210_000 }),
  en: Type.String({ maxLength: 210_000 }),
})
const PublishBody = Type.Object({
  _csrf: Type.Optional(Type.String()),
  versionId: Type.String({ maxLength: 64 }),
  effectiveDate: Type.String({ maxLength: 20 }),
})
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) })

export function registerDpoPages(app: HttpApp, deps: DpoPagesDeps): void {
  const { views, i18n, profile, versions, notices, complaints } = deps

  const onlyDpo = async (req: FastifyRequest) => {
    if (!canUseDpoDesk(req.ctx.actor)) throw new AppError('not_found')
  }
  const guard = { preHandler: [deps.requireUser, onlyDpo] }

  async function render(req: FastifyRequest, reply: FastifyReply, problems: Problems = {}, status = 200) {
    const locale = req.ctx.locale
    const t = translator(i18n, locale)
    const db = req.ctx.db
    const csrf = reply.generateCsrf()
    const all = await versions.versions(db)
    const draft = await versions.draft(db)
    const newest = all.filter((v) => v.status === 'published').pop()
    const query = req.query as Record<string, string | undefined>
    const rows: SafeHtml[] = []
    for (const v of [...all].reverse()) {
      const progress = v.status === 'published' ? await notices.progress(db, v.id) : undefined
      const p = progress
        ? html`${progress.finishedAt ? t('privacy.dpo.done') : t('privacy.dpo.running')}: ${t('privacy.dpo.progress', {
            queued: progress.queued,
            sent: progress.delivery.sent,
            waiting: progress.delivery.queued,
            failed: progress.delivery.failed,
            noEmail: progress.delivery.noEmail,
            banner: progress.delivery.bannerShown,
          })}`
        : html`—`
      rows.push(
        html`<tr><th scope="row">${v.status === 'published' ? html`<a href="/policy/versions/${String(v.number)}">${String(v.number)}</a>` : String(v.number)}</th><td>${v.status === 'draft' ? t('privacy.dpo.statusDraft') : t('privacy.dpo.statusPublished')}</td><td>${v.publishedAt ? formatDateTimeShort(locale, v.publishedAt) : '—'}</td><td>${v.effectiveAt ? formatDate(locale, v.effectiveAt) : '—'}</td><td>${p}</td></tr>`,
      )
    }
    const texts: PolicyTexts = problems.texts ?? draft?.texts ?? (await currentTexts(req))
    const number = draft?.version.number ?? (newest?.number ?? 0) + 1
    const rule = versions.noticeRule(req.ctx.now)
    const diff = draft ? await versions.diff(db, draft.version.id, locale) : undefined
    const textareas = LOCALES.map(
      (l: Locale) =>
        html`<div class="field"><label class="field-label" for="text-${l}">${t('privacy.dpo.text', { language: LANGUAGE_NAMES[l] })}</label><textarea class="input policy-source" id="text-${l}" name="${l}" lang="${l}" rows="12" required${problems.draft ? html` aria-describedby="draft-error"` : ''}>${texts[l]}</textarea></div>`,
    )
    const ruleText =
      profile.notice.noticeDays > 0
        ? t('privacy.dpo.ruleNotice', { days: rule.days, earliest: rule.earliest })
        : t('privacy.dpo.ruleImplied', { earliest: rule.earliest, days: profile.notice.impliedAfterDays ?? 0 })
    const list = await complaints.forDpo(req.ctx)
    const main = html`<h1>${t('privacy.dpo.title')}</h1>
<p class="lead-text">${t('privacy.dpo.lead')}</p>
<p><a class="button button-secondary" href="/dpo/requests">${t('privacy.requests.title')}</a></p>
${query.saved ? statusMessage(t('privacy.dpo.saved')) : ''}
${query.published ? statusMessage(t('privacy.dpo.published', { number: Number(query.published) || 0 })) : ''}
<section aria-labelledby="versions-title"><h2 id="versions-title">${t('privacy.dpo.versions')}</h2>
<div class="table-wrap"><table class="data-table"><thead><tr><th scope="col">${t('privacy.dpo.number')}</th><th scope="col">${t('privacy.dpo.status')}</th><th scope="col">${t('privacy.dpo.publishedAt')}</th><th scope="col">${t('privacy.dpo.effectiveAt')}</th><th scope="col">${t('privacy.dpo.notices')}</th></tr></thead><tbody>${rows}</tbody></table></div></section>
<section id="draft" aria-labelledby="draft-title"><h2 id="draft-title">${t('privacy.dpo.draftTitle', { number })}</h2>
${draft ? '' : html`<p>${t('privacy.dpo.noDraft')}</p>`}
${problems.draft ? formError('draft-error', problems.draft) : ''}
<form method="post" action="/dpo/draft" class="draft-form">${csrfField(csrf)}${textareas}<button class="button button-secondary" type="submit">${t('privacy.dpo.save')}</button></form>
</section>
${
  draft && diff
    ? html`<section id="preview" aria-labelledby="preview-title"><h2 id="preview-title">${t('privacy.dpo.preview')}</h2>${renderDiff(diff.diff, t)}</section>
<section id="publish" aria-labelledby="publish-title"><h2 id="publish-title">${t('privacy.dpo.publishTitle')}</h2>
${problems.publish ? formError('publish-error', problems.publish) : ''}
<form method="post" action="/dpo/publish" class="publish-form">${csrfField(csrf)}<input type="hidden" name="versionId" value="${draft.version.id}">
<div class="field${problems.publish ? ' field-invalid' : ''}"><label class="field-label" for="effective-date">${t('privacy.dpo.effectiveDate')}</label><p class="field-hint" id="effective-hint">${ruleText}</p>
<input class="input" id="effective-date" name="effectiveDate" type="date" min="${rule.earliest}" value="${problems.effectiveDate ?? rule.earliest}" required aria-describedby="effective-hint${problems.publish ? ' publish-error' : ''}"${problems.publish ? html` aria-invalid="true"` : ''}></div>
<button class="button button-primary" type="submit">${t('privacy.dpo.publish', { number: draft.version.number })}</button></form></section>`
    : ''
}
<section id="complaints" aria-labelledby="complaints-title"><h2 id="complaints-title">${t('privacy.dpo.complaints')}</h2>
${
  list.length === 0
    ? html`<p>${t('privacy.dpo.noComplaints')}</p>`
    : html`<ul class="complaint-list">${list.map(
        (c) =>
          html`<li><p class="muted">${formatDateTimeShort(locale, c.createdAt)} · ${c.status === 'open' ? t('privacy.complaints.open') : t('privacy.complaints.closed')}</p><p class="complaint-text">${c.text}</p>${
            c.status === 'open'
              ? html`<form class="inline-form" method="post" action="/dpo/complaints/${c.id}/close">${csrfField(csrf)}<button class="button button-secondary" type="submit">${t('privacy.complaints.close')}</button></form>`
              : ''
          }</li>`,
      )}</ul>`
}
</section>`
    return reply
      .code(status)
      .header('cache-control', 'private, no-store')
      .type('text/html; charset=utf-8')
      .send(privacyPage(views, req, { title: t('privacy.dpo.title'), main }))
  }

  async function currentTexts(req: FastifyRequest): Promise<PolicyTexts> {
    const out: PolicyTexts = { kk: '', ru: '', en: '' }
    for (const l of LOCALES)
      out[l] = (await deps.policies.currentPolicy(req.ctx.db, profile.id, l, req.ctx.now))?.markdown ?? ''
    return out
  }

  const message = (req: FastifyRequest, err: DomainError, t: T) => t(err.messageKey, err.params)

  app.get('/dpo', { ...guard, schema: { hide: true } }, async (req, reply) => render(req, reply))

  app.post('/dpo/draft', { ...guard, schema: { hide: true, body: DraftBody } }, async (req, reply) => {
    const texts = { kk: req.body.kk, ru: req.body.ru, en: req.body.en }
    try {
      await versions.saveDraft(req.ctx, texts)
    } catch (err) {
      if (!(err instanceof DomainError)) throw err
      return render(req, reply, { draft: message(req, err, translator(i18n, req.ctx.locale)), texts }, err.status)
    }
    return reply.redirect('/dpo?saved=1#draft', 303)
  })

  app.post('/dpo/publish', { ...guard, schema: { hide: true, body: PublishBody } }, async (req, reply) => {
    try {
      const v = await versions.publish(req.ctx, {
        versionId: req.body.versionId,
        effectiveDate: req.body.effectiveDate,
      })
      return reply.redirect(`/dpo?published=${String(v.number)}`, 303)
    } catch (err) {
      if (!(err instanceof DomainError)) throw err
      const t = translator(i18n, req.ctx.locale)
      return render(req, reply, { publish: message(req, err, t), effectiveDate: req.body.effectiveDate }, err.status)
    }
  })

  app.post('/dpo/complaints/:id/close', { ...guard, schema: { hide: true, params: IdParams } }, async (req, reply) => {
    await complaints.close(req.ctx, req.params.id)
    return reply.redirect('/dpo#complaints', 303)
  })
}

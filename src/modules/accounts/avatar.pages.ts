/**
 * The avatar (B-2.2), where the operator profile asks for one (BTS; Talap
 * does not): `POST /account/avatar` (multipart upload, at most 5 MB,
 * JPEG/PNG/WebP by the bytes), `POST /account/avatar/delete`, and
 * `GET /account/avatar` (the owner's picture, `Cache-Control: private`).
 * Elsewhere the routes answer 404. Multipart parsing is registered for the
 * upload route only; the CSRF token comes as the form's `_csrf` field.
 */
import multipart, { type MultipartFile } from '@fastify/multipart'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { HttpApp } from '../../platform/http/http-app'
import type { I18n } from '../../platform/i18n/i18n'
import { html, type SafeHtml } from '../../platform/views/html'
import type { Views } from '../../platform/views/layout'
import { AvatarRejectedError } from './accounts.errors'
import { requireUser } from './authentication'
import { AVATAR_MAX_BYTES } from './avatar-images'
import type { AvatarsService } from './avatars.service'
import { accountPage, actionButton, csrfField, formError } from './forms'
import { canEditAccount, canViewAvatar } from './policies'

export interface AvatarPagesDeps {
  views: Views
  i18n: I18n
  avatars: AvatarsService
  /** Whether the operator profile collects an avatar at all. */
  enabled: boolean
}

/** An uploaded file as the multipart hook leaves it in the body. */
interface UploadedFile {
  bytes: Buffer
  truncated: boolean
}

type T = (key: string, values?: Record<string, string | number>) => string

/** The avatar part of the profile page: the picture (or none), the upload form and the remove button. */
export function renderAvatarSection(t: T, input: { updatedAt?: Date; csrf: string; error?: string }): SafeHtml {
  const mb = AVATAR_MAX_BYTES / 1024 / 1024
  return html`<section class="avatar card" aria-labelledby="avatar-title">
<h2 id="avatar-title">${t('accounts.avatar.title')}</h2>
${input.error ? formError('avatar-error', t('accounts.avatar.errorTitle'), input.error) : ''}
<div class="avatar-row">
${input.updatedAt ? html`<img class="avatar-image" src="/account/avatar?v=${String(input.updatedAt.getTime())}" width="96" height="96" alt="${t('accounts.avatar.alt')}">` : html`<p class="avatar-none muted">${t('accounts.avatar.none')}</p>`}
<form class="form avatar-form" method="post" action="/account/avatar" enctype="multipart/form-data">
${csrfField(input.csrf)}
<div class="field">
<label class="field-label" for="avatar">${t('accounts.avatar.file')}</label>
<p class="field-hint" id="avatar-hint">${t('accounts.avatar.hint', { mb })}</p>
<input class="input" id="avatar" name="avatar" type="file" accept="image/jpeg,image/png,image/webp" required aria-describedby="avatar-hint${input.error ? ' avatar-error' : ''}"${input.error ? html` aria-invalid="true"` : ''}>
</div>
<button class="button button-primary" type="submit">${t('accounts.avatar.upload')}</button>
</form>
</div>
${input.updatedAt ? actionButton({ action: '/account/avatar/delete', csrf: input.csrf, label: t('accounts.avatar.remove'), variant: 'danger' }) : ''}
<p class="form-note">${t('accounts.avatar.note')}</p>
</section>`
}

/** Registers the avatar routes (404 when the profile does not collect an avatar). */
export function registerAvatarPages(app: HttpApp, deps: AvatarPagesDeps): void {
  const { views, i18n, avatars, enabled } = deps
  const signedIn = { preHandler: requireUser }

  async function refuse(req: FastifyRequest, reply: FastifyReply, err: AvatarRejectedError) {
    const t: T = (key, values) => i18n.t(req.ctx.locale, key, values)
    const userId = req.ctx.actor!.id
    const section = renderAvatarSection(t, {
      updatedAt: await avatars.updatedAt(req.ctx, userId),
      csrf: reply.generateCsrf(),
      error: t(`errors.${err.code}`, err.params),
    })
    const main = html`<div class="narrow">${section}<p><a href="/account">${t('accounts.edit.back')}</a></p></div>`
    return reply
      .status(err.status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(accountPage(views, req, { title: t('accounts.avatar.title'), main }))
  }

  app.register(async (scope) => {
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      throwFileSizeLimit: false,
      limits: { fileSize: AVATAR_MAX_BYTES, files: 1, fields: 4, fieldSize: 1024, parts: 5 },
      // The file is read to memory (bounded by fileSize); a larger one arrives truncated and is refused.
      async onFile(part: MultipartFile & { value?: unknown }) {
        const bytes = await part.toBuffer()
        part.value = { bytes, truncated: part.file.truncated } satisfies UploadedFile
      },
    })
    scope.post('/account/avatar', { ...signedIn, schema: { hide: true } }, async (req, reply) => {
      const userId = req.ctx.actor!.id
      if (!enabled || !canEditAccount(req.ctx.actor, userId)) return reply.callNotFound()
      const file = (req.body as Record<string, unknown> | undefined)?.avatar as UploadedFile | undefined
      try {
        if (!file || !Buffer.isBuffer(file.bytes)) throw new AvatarRejectedError('missing')
        await avatars.put(req.ctx, userId, file)
        return reply.header('cache-control', 'no-store').redirect('/account?done=avatar_saved', 303)
      } catch (err) {
        if (err instanceof AvatarRejectedError) return refuse(req, reply, err)
        throw err
      }
    })
  })

  app.post('/account/avatar/delete', { ...signedIn, schema: { hide: true } }, async (req, reply) => {
    const userId = req.ctx.actor!.id
    if (!enabled || !canEditAccount(req.ctx.actor, userId)) return reply.callNotFound()
    await avatars.remove(req.ctx, userId)
    return reply.header('cache-control', 'no-store').redirect('/account?done=avatar_removed', 303)
  })

  app.get('/account/avatar', { ...signedIn, schema: { hide: true } }, async (req, reply) => {
    const userId = req.ctx.actor!.id
    if (!enabled || !canViewAvatar(req.ctx.actor, userId)) return reply.callNotFound()
    const avatar = await avatars.get(req.ctx, userId)
    if (!avatar) return reply.callNotFound()
    // Only this signed-in person's browser may keep it; shared caches never.
    return reply
      .type('image/webp')
      .header('cache-control', 'private, max-age=300')
      .header('vary', 'Cookie')
      .header('last-modified', avatar.updatedAt.toUTCString())
      .send(avatar.webp)
  })
}

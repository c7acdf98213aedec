/**
 * One error handler for pages and API: stable code → status + localized
 * message. 5xx bodies never carry internals; the details go to the log with
 * the request id, and the user sees the id to quote to support.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { HttpApp } from './http-app'
import type { I18n } from '../i18n/i18n'
import { DomainError } from '../errors'
import { ERROR_STATUS, type ErrorBody, type ErrorCode, type FieldIssue } from './errors'

export interface ErrorPageRenderer {
  (req: FastifyRequest, error: { status: number; code: string; message: string; requestId: string }): string
}

function wantsJson(req: FastifyRequest): boolean {
  if (req.url.startsWith('/api/')) return true
  const accept = req.headers.accept ?? ''
  return accept.includes('application/json') && !accept.includes('text/html')
}

function fromFastify(err: FastifyError): { code: ErrorCode; status: number } {
  if (err.validation) return { code: 'validation_failed', status: 400 }
  if (err.code === 'FST_CSRF_INVALID_TOKEN' || err.code === 'FST_CSRF_MISSING_SECRET')
    return { code: 'csrf_invalid', status: 403 }
  if (err.statusCode === 429) return { code: 'rate_limited', status: 429 }
  if (err.statusCode === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return { code: 'payload_too_large', status: 413 }
  if (err.statusCode === 404) return { code: 'not_found', status: 404 }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
    return { code: 'bad_request', status: err.statusCode }
  return { code: 'internal', status: 500 }
}

function fieldIssues(req: FastifyRequest, i18n: I18n, err: FastifyError): FieldIssue[] | undefined {
  if (!err.validation) return undefined
  return err.validation.map((v) => {
    const field =
      (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.') || String(v.params?.missingProperty ?? '')
    const key = `validation.${v.keyword}`
    const message = i18n.has(req.ctx.locale, key)
      ? i18n.t(req.ctx.locale, key, { field, ...(v.params as Record<string, string | number>) })
      : i18n.t(req.ctx.locale, 'validation.invalid', { field })
    return { field, message }
  })
}

function genericCode(status: number): ErrorCode {
  const found = (Object.entries(ERROR_STATUS) as [ErrorCode, number][]).find(([, st]) => st === status)
  return found ? found[0] : status >= 500 ? 'internal' : 'bad_request'
}

export function installErrorHandler(app: HttpApp, i18n: I18n, renderPage: ErrorPageRenderer): void {
  function send(
    req: FastifyRequest,
    reply: FastifyReply,
    code: string,
    status: number,
    params: Record<string, string | number>,
    fields?: FieldIssue[],
    messageKey?: string,
  ) {
    const locale = req.ctx?.locale ?? 'kk'
    // A code without its own message falls back to the generic one for its status.
    const own = messageKey ?? `errors.${code}`
    const key = i18n.has(locale, own) ? own : `errors.${genericCode(status)}`
    const message = i18n.t(locale, key, params)
    const requestId = String(req.id)
    if (wantsJson(req)) {
      const body: ErrorBody = { error: { code, message, requestId, ...(fields ? { fields } : {}) } }
      return reply.status(status).type('application/json; charset=utf-8').send(body)
    }
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .send(renderPage(req, { status, code, message, requestId }))
  }

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof DomainError) {
      if (err.status >= 500)
        req.log.error({ err: { name: err.name, code: err.code, cause: String(err.cause ?? '') } }, 'request failed')
      return send(req, reply, err.code, err.status, err.params, undefined, err.messageKey)
    }
    const { code, status } = fromFastify(err)
    if (status >= 500) req.log.error({ err }, 'request failed')
    else req.log.info({ code, status }, 'request rejected')
    return send(req, reply, code, status, {}, fieldIssues(req, i18n, err))
  })

  app.setNotFoundHandler((req, reply) => send(req, reply, 'not_found', ERROR_STATUS.not_found, {}))
}

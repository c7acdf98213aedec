/**
 * Domain errors carry a stable code; one mapper (error-handler.ts) turns the
 * code into an HTTP status and a localized message. Messages live in the
 * locale files under `errors.<code>`.
 */
import { DomainError } from '../errors'
export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 400,
  unauthenticated: 401,
  csrf_invalid: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  service_unavailable: 503,
} as const

export type ErrorCode = keyof typeof ERROR_STATUS

/** A platform-level error with one of the generic codes above. */
export class AppError extends DomainError {
  constructor(
    code: ErrorCode,
    /** Values for the localized message; never personal data. */
    params: Record<string, string | number> = {},
    options?: { cause?: unknown; status?: number },
  ) {
    super(code, code, options?.status ?? ERROR_STATUS[code], params, options)
    this.name = 'AppError'
  }
}

export interface FieldIssue {
  /** Field path, e.g. `email` or `body.email`. */
  field: string
  /** Localized message. */
  message: string
}

export interface ErrorBody {
  error: { code: string; message: string; requestId: string; fields?: FieldIssue[] }
}

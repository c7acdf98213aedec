/**
 * The base of every domain error: a stable code (`module.reason`, also the
 * key `errors.<code>` of its localized message), the HTTP status it maps to,
 * and message params that never carry personal data. Modules extend it; the
 * one error handler in platform/http maps it for pages and API alike.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    readonly params: Record<string, string | number> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'DomainError'
  }

  /** The locale key of the message shown to people; modules may keep their messages elsewhere. */
  get messageKey(): string {
    return `errors.${this.code}`
  }
}

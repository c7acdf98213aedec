/** Errors a job can end with, the retry delay, and the error text that may be stored. */

/** Thrown by a handler when retrying cannot help (e.g. the subject no longer exists): the job becomes `failed`. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError'
}

/** A handler ran longer than its `timeoutMs`. */
export class JobTimeoutError extends Error {
  override name = 'JobTimeoutError'
}

/** The worker is stopping and gave up waiting for the handler; the job goes back to `pending`. */
export class JobInterruptedError extends Error {
  override name = 'JobInterruptedError'
}

/** The job was reclaimed from this worker (lock expired) before it finished; its transaction is rolled back. */
export class JobLockLostError extends Error {
  override name = 'JobLockLostError'
}

export const LAST_ERROR_MAX = 500
const BASE_DELAY_MS = 10_000
const MAX_DELAY_MS = 3_600_000
const JITTER = 0.2

/**
 * Delay before retrying after failed attempt number `attempt` (1-based):
 * 2^attempt × 10 s, capped at 1 h, minus up to 20 % jitter so retries of many
 * jobs that failed together spread out.
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const exp = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(attempt, 30))
  return Math.round(exp * (1 - JITTER * random()))
}

const EMAIL = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[a-z]{2,}/gi
// IINs (12 digits), phone and card numbers: runs of 7+ digits, possibly split by spaces, dashes or dots.
const LONG_NUMBER = /\+?\d(?:[\s.-]?\d){6,}/g

/**
 * The text stored in `last_error`: error name and message only (no stack, no
 * cause, no payload), with e-mail addresses and long numbers masked, truncated.
 */
export function safeErrorMessage(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : `Non-error thrown: ${typeof err}`
  const masked = text.replace(EMAIL, '[email]').replace(LONG_NUMBER, '[number]')
  return masked.length > LAST_ERROR_MAX ? `${masked.slice(0, LAST_ERROR_MAX - 1)}…` : masked
}

/**
 * Minors (law Arts. 7–8: under 18 the parent or guardian consents): when a
 * person turns 18, whether they are under 18 today, and what their account
 * may do. Dates are Almaty calendar dates (UTC+5, no daylight saving) taken
 * from `ctx.now`, so tests travel across the 18th birthday.
 */
import type { GuardianState } from './accounts.tables'

export const ADULT_AGE = 18

/**
 * Why a signed-in person may do nothing beyond the essentials:
 * - `awaiting_guardian`: under 18 and no guardian has consented yet;
 * - `personal_consent_due`: turned 18 since a guardian consented (or while
 *   waiting for one) — they must now consent personally.
 */
export type Restriction = 'awaiting_guardian' | 'personal_consent_due'

/** Today's date in Almaty as YYYY-MM-DD. */
export function almatyDate(now: Date): string {
  return new Date(now.getTime() + 5 * 3_600_000).toISOString().slice(0, 10)
}

/**
 * The 18th birthday of a YYYY-MM-DD birth date. Born on 29 February: the
 * person comes of age on 1 March of a common year (the day after 28 Feb).
 */
export function adultOn(birthDate: string): string {
  const year = Number(birthDate.slice(0, 4)) + ADULT_AGE
  const month = Number(birthDate.slice(5, 7))
  const day = Number(birthDate.slice(8, 10))
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10)
}

/** Under 18 on `now` (Almaty)? */
export function isMinorOn(birthDate: string, now: Date): boolean {
  return almatyDate(now) < adultOn(birthDate)
}

/** The account's restriction on `now`, from its stored age facts; undefined when it may do everything. */
export function restrictionOf(
  account: { adult_on: string | null; guardian_state: GuardianState | null },
  now: Date,
): Restriction | undefined {
  if (account.guardian_state === null || account.adult_on === null) return undefined
  if (almatyDate(now) >= account.adult_on) return 'personal_consent_due'
  return account.guardian_state === 'awaiting_guardian' ? 'awaiting_guardian' : undefined
}

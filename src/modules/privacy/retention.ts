/**
 * The operator profile's retention rule as a date (T-4.5, T-4.5.5, B-2.4):
 * data are kept `years` calendar years (Asia/Almaty) from the subject's last
 * activity (Talap) or from the end of the User Agreement (BTS). Closing the
 * account is both the last activity and the end of the agreement, so the
 * rule runs from the closure; the privacy centre shows the same date for
 * "if you stopped today". 29 February plus whole years falls on 1 March in a
 * common year, so the data are never kept a day short.
 */
import { almatyDate } from './calendar'
import type { Profile } from './profiles'

/** `YYYY-MM-DD` plus whole calendar years; 29 February → 1 March in a common year. */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const at = new Date(Date.UTC(y + years, m - 1, d))
  return at.toISOString().slice(0, 10)
}

/** The Almaty date from which the profile's retention rule no longer keeps data whose clock started at `from`. */
export function retentionUntil(profile: Pick<Profile, 'retention'>, from: Date): string {
  return addYears(almatyDate(from), profile.retention.years)
}

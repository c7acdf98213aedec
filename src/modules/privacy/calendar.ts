/**
 * Calendar days in Kazakhstan (Asia/Almaty), for the notice rules: T-6.4
 * (the effective date at least 10 days after publication) and B-1.2
 * (continued use after 7 calendar days). A day is an Almaty calendar date
 * `YYYY-MM-DD`; the offset comes from the time-zone database, so the 2024
 * move of Kazakhstan to one zone (UTC+5) is followed without code changes.
 */
export const TIME_ZONE = 'Asia/Almaty'

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const parts = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

function fields(at: Date): Record<string, number> {
  const out: Record<string, number> = {}
  for (const p of parts.formatToParts(at)) if (p.type !== 'literal') out[p.type] = Number(p.value)
  return out
}

/** The Almaty calendar date of an instant, `YYYY-MM-DD`. */
export function almatyDate(at: Date): string {
  const f = fields(at)
  return `${String(f.year).padStart(4, '0')}-${String(f.month).padStart(2, '0')}-${String(f.day).padStart(2, '0')}`
}

/** True when `value` is a real calendar date `YYYY-MM-DD`. */
export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.toISOString().slice(0, 10) === value
}

const utcDay = (date: string): number => {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date: ${date}`)
  return Date.parse(`${date}T00:00:00Z`)
}

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(utcDay(date) + days * 86_400_000).toISOString().slice(0, 10)
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcDay(to) - utcDay(from)) / 86_400_000)
}

/** The Almaty wall-clock time `YYYY-MM-DD` `HH:MM` as an instant. */
export function almatyTime(date: string, time = '00:00'): Date {
  const [h, m] = time.split(':').map(Number)
  const wall = utcDay(date) + ((h ?? 0) * 60 + (m ?? 0)) * 60_000
  // The offset at a guess, then at the corrected instant (stable away from a transition).
  let at = wall
  for (let i = 0; i < 2; i++) {
    const f = fields(new Date(at))
    const shown = Date.UTC(f.year ?? 0, (f.month ?? 1) - 1, f.day ?? 1, f.hour ?? 0, f.minute ?? 0, f.second ?? 0)
    at += wall - shown
  }
  return new Date(at)
}

/** The first instant of an Almaty calendar date. */
export function startOfAlmatyDay(date: string): Date {
  return almatyTime(date, '00:00')
}

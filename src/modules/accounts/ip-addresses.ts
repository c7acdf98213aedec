/**
 * IP addresses on the sessions page: masked, so a glance over the person's
 * shoulder does not reveal their network. Stored encrypted (sessions.ts);
 * shown only to their owner, and only this much of them.
 */
import { isIPv4, isIPv6 } from 'node:net'

const HIDDEN = '•••'

/** `203.0.•••.•••` for IPv4 (also when mapped into IPv6), `2001:db8:•••` for IPv6, `•••` otherwise. */
export function maskIp(ip: string | null | undefined): string {
  if (!ip) return HIDDEN
  const mapped = ip.toLowerCase().match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/)
  const v4 = mapped ? mapped[1]! : ip
  if (isIPv4(v4)) {
    const [a, b] = v4.split('.')
    return `${a}.${b}.${HIDDEN}.${HIDDEN}`
  }
  if (isIPv6(ip)) {
    const groups = ip.toLowerCase().split('::')[0]!.split(':').filter(Boolean).slice(0, 2)
    return groups.length > 0 ? `${groups.join(':')}:${HIDDEN}` : HIDDEN
  }
  return HIDDEN
}

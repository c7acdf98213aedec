/**
 * A short summary of a User-Agent for the sessions page (B-2.2 "browser and
 * operating-system information"): browser and OS with their major version
 * and the kind of device. The raw header is never stored: it is long, nearly
 * unique per device, and the person only needs to recognise their devices.
 */
import type { DeviceType } from './accounts.tables'

export interface UserAgentSummary {
  /** `Chrome 126`, `Yandex Browser 24`, …; null when not recognised. */
  browser: string | null
  /** `Android 14`, `iOS 17`, `Windows`, …; null when not recognised. */
  os: string | null
  device: DeviceType
}

/** Most specific first: Edge, Opera, Yandex and Samsung all also say "Chrome"; Chrome also says "Safari". */
const BROWSERS: readonly [name: string, pattern: RegExp][] = [
  ['Edge', /\bEdgA?\/(\d+)/],
  ['Opera', /\bOPR\/(\d+)/],
  ['Yandex Browser', /\bYaBrowser\/(\d+)/],
  ['Samsung Internet', /\bSamsungBrowser\/(\d+)/],
  ['Firefox', /\b(?:Firefox|FxiOS)\/(\d+)/],
  ['Chrome', /(?:\b|Headless)(?:Chrome|CriOS)\/(\d+)/],
  ['Safari', /\bVersion\/(\d+)(?:\.\d+)*(?: Mobile\/\w+)? Safari\//],
]

const WINDOWS: Record<string, string> = { '10.0': '10/11', '6.3': '8.1', '6.2': '8', '6.1': '7' }

function detectOs(ua: string): string | null {
  let m: RegExpMatchArray | null
  if ((m = ua.match(/\b(?:iPhone|iPad|iPod).*? OS (\d+)/))) return `iOS ${m[1]}`
  if ((m = ua.match(/\bAndroid (\d+)/))) return `Android ${m[1]}`
  if (/\bAndroid\b/.test(ua)) return 'Android'
  if ((m = ua.match(/\bWindows NT (\d+\.\d+)/))) return WINDOWS[m[1]!] ? `Windows ${WINDOWS[m[1]!]}` : 'Windows'
  if (/\bWindows\b/.test(ua)) return 'Windows'
  if (/\bCrOS\b/.test(ua)) return 'ChromeOS'
  if ((m = ua.match(/\bMac OS X (\d+)[._](\d+)/))) return m[1] === '10' ? `macOS 10.${m[2]}` : `macOS ${m[1]}`
  if (/\bMacintosh\b/.test(ua)) return 'macOS'
  if (/\bLinux\b/.test(ua)) return 'Linux'
  return null
}

function detectDevice(ua: string): DeviceType {
  if (/\biPad\b|\bTablet\b/.test(ua) || (/\bAndroid\b/.test(ua) && !/\bMobile\b/.test(ua))) return 'tablet'
  if (/\bMobile\b|\biPhone\b|\biPod\b/.test(ua)) return 'mobile'
  if (/\b(?:Windows|Macintosh|X11|CrOS|Linux)\b/.test(ua)) return 'desktop'
  return 'unknown'
}

/** Summarises a User-Agent header (or its absence) as browser, OS and device type. */
export function summariseUserAgent(userAgent: string | null | undefined): UserAgentSummary {
  const ua = (userAgent ?? '').slice(0, 512)
  if (ua.trim() === '') return { browser: null, os: null, device: 'unknown' }
  let browser: string | null = null
  for (const [name, pattern] of BROWSERS) {
    const m = ua.match(pattern)
    if (m) {
      browser = `${name} ${m[1]}`
      break
    }
  }
  return { browser, os: detectOs(ua), device: detectDevice(ua) }
}

/**
 * Typed, validated configuration. This is the only module that reads
 * `process.env`; everything else receives a `Config`.
 */
import path from 'node:path'

export type NodeEnv = 'development' | 'production' | 'test'
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

export interface Config {
  env: NodeEnv
  /** HTTP port (PORT). */
  port: number
  /** Interface to bind (HOST). */
  host: string
  /** Public base URL used in links sent by e-mail (OQU_PUBLIC_URL). */
  publicUrl: string
  /** Embedded PGlite data directory (OQU_DATA_DIR); unused when databaseUrl is set. */
  dataDir: string
  /** PostgreSQL connection string (DATABASE_URL); when set the embedded database is not used. */
  databaseUrl: string | undefined
  /** Operator profile id (OQU_PROFILE). */
  profile: string
  logLevel: LogLevel
  /**
   * Master keys for field encryption (OQU_KEYRING): `id:base64key,id:base64key`.
   * Undefined in embedded mode means "create a local keyring in the data directory".
   */
  keyring: string | undefined
  /** Id of the master key that wraps new data keys (OQU_ACTIVE_KEY_ID); defaults to the last in the ring. */
  activeKeyId: string | undefined
  /** Secret for HMAC blind indexes (OQU_BLIND_INDEX_KEY, base64, 32 bytes). */
  blindIndexKey: string | undefined
  /** Secret for signed cookies and CSRF (OQU_COOKIE_SECRET, ≥ 32 chars). */
  cookieSecret: string | undefined
  /** Trust X-Forwarded-* from a reverse proxy (OQU_TRUST_PROXY). */
  trustProxy: boolean
  /** Run the job worker inside the web process (OQU_INLINE_WORKER); default: on for embedded, off with DATABASE_URL. */
  inlineWorker: boolean
  /** Requests per minute per IP (OQU_RATE_LIMIT). */
  rateLimitPerMinute: number
  /** Seed demo content on embedded start (OQU_DEMO). */
  demo: boolean
  /** SMTP server for e-mail (OQU_SMTP_URL, smtp:// or smtps://); unset: messages stay in the developer outbox. */
  smtpUrl: string | undefined
  /** Sender address (OQU_MAIL_FROM). */
  mailFrom: string
  /** SMS provider (OQU_SMS_PROVIDER): `outbox` keeps messages in the developer outbox; `mobizon` sends through Mobizon's HTTP API. */
  smsProvider: 'outbox' | 'mobizon'
  /** Base URL of the SMS provider's API (OQU_SMS_API_URL). */
  smsApiUrl: string | undefined
  /** SMS provider API key (OQU_SMS_API_KEY). */
  smsApiKey: string | undefined
  /** Show sent messages at /dev/outbox (OQU_DEV_OUTBOX); never in production. */
  devOutbox: boolean
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Configuration error in ${variable}: ${message}`)
    this.name = 'ConfigError'
  }
}

type Env = Record<string, string | undefined>

function str(env: Env, name: string): string | undefined {
  const v = env[name]
  return v === undefined || v.trim() === '' ? undefined : v.trim()
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = str(env, name)
  if (raw === undefined) return fallback
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`)
  const n = Number(raw)
  if (n < min || n > max) throw new ConfigError(name, `expected a number from ${min} to ${max}, got ${n}`)
  return n
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = str(env, name)?.toLowerCase()
  if (raw === undefined) return fallback
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true
  if (['0', 'false', 'no', 'off'].includes(raw)) return false
  throw new ConfigError(name, `expected true or false, got "${raw}"`)
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = str(env, name)
  if (raw === undefined) return fallback
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got "${raw}"`)
  }
  return raw as T
}

/** Reads and validates configuration; throws ConfigError naming the bad variable. */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development')
  const port = int(env, 'PORT', 3000, 0, 65535)
  const host = str(env, 'HOST') ?? '0.0.0.0'
  const databaseUrl = str(env, 'DATABASE_URL')
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'expected a postgres:// or postgresql:// URL')
  }
  const profile = str(env, 'OQU_PROFILE') ?? 'talap'
  if (!/^[a-z0-9][a-z0-9-]*$/.test(profile)) {
    throw new ConfigError('OQU_PROFILE', `expected a profile id such as "talap" or "bts-education", got "${profile}"`)
  }
  const publicUrl = str(env, 'OQU_PUBLIC_URL') ?? `http://localhost:${port}`
  try {
    new URL(publicUrl)
  } catch {
    throw new ConfigError('OQU_PUBLIC_URL', `expected an absolute URL, got "${publicUrl}"`)
  }
  const cookieSecret = str(env, 'OQU_COOKIE_SECRET')
  if (cookieSecret !== undefined && cookieSecret.length < 32) {
    throw new ConfigError('OQU_COOKIE_SECRET', 'must be at least 32 characters')
  }
  const keyring = str(env, 'OQU_KEYRING')
  const blindIndexKey = str(env, 'OQU_BLIND_INDEX_KEY')
  if (databaseUrl !== undefined && nodeEnv === 'production') {
    if (keyring === undefined) throw new ConfigError('OQU_KEYRING', 'is required in production')
    if (blindIndexKey === undefined) throw new ConfigError('OQU_BLIND_INDEX_KEY', 'is required in production')
    if (cookieSecret === undefined) throw new ConfigError('OQU_COOKIE_SECRET', 'is required in production')
  }
  const smtpUrl = str(env, 'OQU_SMTP_URL')
  if (smtpUrl !== undefined && !/^smtps?:\/\//.test(smtpUrl)) {
    throw new ConfigError('OQU_SMTP_URL', 'expected an smtp:// or smtps:// URL')
  }
  const smsProvider = oneOf(env, 'OQU_SMS_PROVIDER', ['outbox', 'mobizon'] as const, 'outbox')
  const smsApiUrl = str(env, 'OQU_SMS_API_URL')
  const smsApiKey = str(env, 'OQU_SMS_API_KEY')
  if (smsProvider === 'mobizon' && (smsApiUrl === undefined || smsApiKey === undefined)) {
    throw new ConfigError(
      smsApiUrl === undefined ? 'OQU_SMS_API_URL' : 'OQU_SMS_API_KEY',
      'is required when OQU_SMS_PROVIDER=mobizon',
    )
  }
  const devOutbox = bool(env, 'OQU_DEV_OUTBOX', nodeEnv !== 'production')
  if (devOutbox && nodeEnv === 'production') {
    throw new ConfigError(
      'OQU_DEV_OUTBOX',
      'the developer outbox shows personal data and cannot be enabled in production',
    )
  }
  return {
    env: nodeEnv,
    port,
    host,
    publicUrl: publicUrl.replace(/\/$/, ''),
    dataDir: path.resolve(cwd, str(env, 'OQU_DATA_DIR') ?? './data'),
    databaseUrl,
    profile,
    logLevel: oneOf(
      env,
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
      nodeEnv === 'test' ? 'silent' : 'info',
    ),
    keyring,
    activeKeyId: str(env, 'OQU_ACTIVE_KEY_ID'),
    blindIndexKey,
    cookieSecret,
    trustProxy: bool(env, 'OQU_TRUST_PROXY', false),
    inlineWorker: bool(env, 'OQU_INLINE_WORKER', databaseUrl === undefined && nodeEnv !== 'test'),
    rateLimitPerMinute: int(env, 'OQU_RATE_LIMIT', 300, 1, 1_000_000),
    demo: bool(env, 'OQU_DEMO', databaseUrl === undefined && nodeEnv !== 'production'),
    smtpUrl,
    mailFrom: str(env, 'OQU_MAIL_FROM') ?? 'Oqu <no-reply@localhost>',
    smsProvider,
    smsApiUrl,
    smsApiKey,
    devOutbox,
  }
}

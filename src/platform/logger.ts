/**
 * Structured logging with pino. Personal fields are redacted wherever they
 * appear in a log object, and request logs never carry query strings, bodies
 * or cookies (see http/request-log). A test proves the redaction.
 */
import pino, { type Logger, type DestinationStream } from 'pino'
import type { LogLevel } from '../config'

/** Field names that carry personal data or secrets; matched at any depth up to 3. */
export const REDACTED_FIELDS = [
  'email',
  'phone',
  'iin',
  'name',
  'firstName',
  'lastName',
  'givenName',
  'surname',
  'patronymic',
  'fullName',
  'password',
  'passwordHash',
  'token',
  'accessToken',
  'refreshToken',
  'code',
  'otp',
  'secret',
  'cookie',
  'authorization',
  'birthDate',
  'address',
  'pan',
  'cardNumber',
  'cvc',
] as const

function redactPaths(): string[] {
  const paths: string[] = []
  for (const f of REDACTED_FIELDS) {
    paths.push(f, `*.${f}`, `*.*.${f}`, `*.*.*.${f}`)
  }
  paths.push('req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]')
  return paths
}

export type { Logger }

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: redactPaths(), censor: '[redacted]' },
      base: { service: 'oqu' },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: {
        // Path only: no query string (it may carry search terms or tokens), no
        // client address or headers (personal data stays out of logs).
        req: (req: { method?: string; url?: string }) => ({ method: req.method, path: (req.url ?? '').split('?')[0] }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: pino.stdSerializers.err,
      },
    },
    destination,
  )
}

/** Picks the SMS provider the configuration names. */
import type { Config } from '../../config'
import { createMobizonProvider } from './sms.mobizon'
import type { SmsProvider } from './sms.provider'

export type SmsConfig = Pick<Config, 'smsProvider' | 'smsApiUrl' | 'smsApiKey'>

/** The configured provider; null for `outbox` (messages stay in the developer outbox, nothing is sent). */
export function createSmsProvider(config: SmsConfig): SmsProvider | null {
  if (config.smsProvider === 'outbox') return null
  if (config.smsApiUrl === undefined || config.smsApiKey === undefined) {
    throw new Error('OQU_SMS_API_URL and OQU_SMS_API_KEY are required for the mobizon SMS provider')
  }
  return createMobizonProvider({ apiUrl: config.smsApiUrl, apiKey: config.smsApiKey })
}

/** SMS's public surface: the provider interface, the configured provider, the Mobizon adapter. */
export { checkE164, E164, SmsDeliveryError, type SmsMessage, type SmsProvider } from './sms.provider'
export { createSmsProvider, type SmsConfig } from './sms.factory'
export { createMobizonProvider, type MobizonOptions } from './sms.mobizon'

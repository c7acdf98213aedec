/**
 * SMS providers: one interface, one adapter per provider's HTTP API. The
 * caller gives a finished text and an E.164 number; a provider answers with
 * its own message id or throws SmsDeliveryError, which says whether retrying
 * can help. Errors never carry the number or the text.
 */

/** A phone number in E.164 form, e.g. `+77011234567`. */
export const E164 = /^\+[1-9]\d{7,14}$/

export interface SmsMessage {
  /** E.164, e.g. `+77011234567`. */
  to: string
  text: string
}

export interface SmsProvider {
  /** Short provider name stored with each message, e.g. `mobizon`. */
  readonly id: string
  /** Sends one SMS; throws SmsDeliveryError. `signal` abandons the attempt (job timeout, shutdown). */
  send(message: SmsMessage, options?: { signal?: AbortSignal }): Promise<{ providerMessageId: string }>
}

/** A failed send: `retryable` is false when the provider refused the message for good. */
export class SmsDeliveryError extends Error {
  override name = 'SmsDeliveryError'
  constructor(
    message: string,
    readonly retryable: boolean,
    /** The provider's result code or the HTTP status, when there was one. */
    readonly providerCode?: number,
    readonly httpStatus?: number,
  ) {
    super(message)
  }
}

/** Throws a permanent SmsDeliveryError unless `to` is E.164. */
export function checkE164(to: string): void {
  if (!E164.test(to)) throw new SmsDeliveryError('The recipient is not an E.164 phone number', false)
}

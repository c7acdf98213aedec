/**
 * Errors of the notifications module. They report a caller's mistake (an
 * unknown template, a missing parameter, a malformed recipient), not a
 * person's: callers validate what people type before asking for a message.
 * Messages never repeat the recipient or a parameter's value.
 */

export type NotificationsErrorCode =
  | 'notifications.template_unknown'
  | 'notifications.channel_unsupported'
  | 'notifications.recipient_invalid'
  | 'notifications.param_invalid'
  | 'notifications.subject_invalid'

export class NotificationsError extends Error {
  override name = 'NotificationsError'
  constructor(
    readonly code: NotificationsErrorCode,
    message: string,
  ) {
    super(message)
  }
}

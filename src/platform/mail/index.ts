/** E-mail's public surface: the SMTP transport and its delivery error. */
export {
  createMailTransport,
  MailDeliveryError,
  toMailDeliveryError,
  type MailConfig,
  type MailMessage,
  type MailTransport,
} from './mail.transport'

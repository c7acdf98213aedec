/** The notifications module's public surface: sending templated e-mails and SMS, their jobs, the developer outbox. */
export {
  createNotifications,
  type Notifications,
  type NotificationsDeps,
  type SendInput,
} from './notifications.service'
export {
  DEFAULT_RETENTION_DAYS,
  DELIVER_NOTIFICATION,
  DELIVERY_ATTEMPTS,
  notificationJobs,
  PURGE_OLD_NOTIFICATIONS,
  type NotificationJobsDeps,
} from './notifications.jobs'
export { LATEST_SCAN_LIMIT, type OutboxMessage, type OutboxReader } from './notifications.outbox'
export { registerDevOutboxPages, OUTBOX_PAGE_SIZE, type DevOutboxDeps } from './notifications.pages'
export {
  NOTIFICATION_TEMPLATES,
  type NotificationTemplate,
  type TemplateParams,
  type TemplateSpec,
} from './notifications.templates'
export { NotificationsError, type NotificationsErrorCode } from './notifications.errors'
export {
  CHANNELS,
  NOTIFICATION_STATUSES,
  type Channel,
  type NotificationStatus,
  type NotificationTables,
} from './notifications.tables'
export { notificationsDataMap } from './notifications.data-map'

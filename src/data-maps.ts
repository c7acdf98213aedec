/**
 * Every module's data map, composed in one place. Rights requests, retention
 * and the privacy inventory read this registry; the data-map test fails when
 * a live column is missing from it.
 */
import { accountsDataMap } from './modules/accounts/index'
import { achievementsDataMap } from './modules/achievements/index'
import { learningDataMap } from './modules/learning/index'
import { notificationsDataMap } from './modules/notifications/index'
import { privacyDataMap } from './modules/privacy/index'
import { auditDataMap } from './platform/audit/index'
import { cryptoDataMap } from './platform/crypto/index'
import { createDataMapRegistry, type DataMapRegistry } from './platform/data-map/data-map'
import { dbDataMap } from './platform/db/db.data-map'
import { jobsDataMap } from './platform/jobs/index'

export function createDataMaps(): DataMapRegistry {
  return createDataMapRegistry([
    dbDataMap,
    auditDataMap,
    cryptoDataMap,
    jobsDataMap,
    accountsDataMap,
    notificationsDataMap,
    privacyDataMap,
    learningDataMap,
    achievementsDataMap,
  ])
}

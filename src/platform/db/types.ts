/** The platform's own tables; each module declares its tables beside its code and uses `db.withTables<…>()`. */
import type { AuditTables } from '../audit/audit.tables'
import type { KeyTables } from '../crypto/crypto.tables'
import type { JobTables } from '../jobs/jobs.tables'

export type PlatformTables = AuditTables & KeyTables & JobTables

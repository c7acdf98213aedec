/** The audit log's public surface. */
export { createAuditLog, type AuditEvent, type AuditLog, type AuditLogDeps } from './audit.log'
export { AuditEventError, personalDataIn } from './audit.guard'
export { canonicalJson, GENESIS_HASH } from './audit.chain'
export type { SealOptions, SealResult } from './audit.sealer'
export type { BadEntry, VerifyResult } from './audit.verify'
export type { ActorKind, AuditData, AuditTables, AuditValue } from './audit.tables'
export { auditDataMap } from './audit.data-map'
export { auditJobs } from './audit.jobs'

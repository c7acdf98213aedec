// Placeholder: filled in by the audit log work.
export interface AuditTables {}

// Placeholder: filled in by the field-encryption work.
export interface KeyTables {}

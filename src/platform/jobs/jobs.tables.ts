// Placeholder: filled in by the jobs work.
export interface JobTables {}

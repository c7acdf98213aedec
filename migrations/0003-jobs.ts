import type { Kysely } from 'kysely'

// Placeholder: filled in by its owner.
export async function up(_db: Kysely<unknown>): Promise<void> {}

/** Reads the live schema's tables and columns, to compare with the data map. */
import { sql } from 'kysely'
import type { Db } from '../db/database'
import type { LiveColumn } from './data-map'

export async function liveColumns(db: Db): Promise<LiveColumn[]> {
  const result = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
    order by c.table_name, c.ordinal_position`.execute(db)
  return result.rows.map((r) => ({ table: r.table_name, column: r.column_name }))
}

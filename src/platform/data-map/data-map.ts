/**
 * The data map: each module declares, per table and column, whether it holds
 * personal data, of which category, why (purposes), from where (source), and
 * how it is exported and erased. Rights requests, retention and the privacy
 * inventory fan out over it; no hand-written list of tables anywhere else.
 */
import {
  RESTRICTED_CATEGORIES,
  type Classification,
  type Erasure,
  type ExportRule,
  type PdCategory,
  type Purpose,
  type Source,
} from './taxonomy'

export interface NotPersonalColumn {
  category: 'not_personal'
  note?: string
}

export interface PersonalColumn {
  category: PdCategory
  purposes: readonly Purpose[]
  source: Source
  /** Whether it appears in the subject's data export. */
  export: ExportRule
  erase: Erasure
  /** Stored as ciphertext under the subject's data key. */
  encrypted?: boolean
  note?: string
}

export type ColumnClass = NotPersonalColumn | PersonalColumn

export interface TableMap {
  description: string
  /** The column that names the data subject (for export and erasure), if any. */
  subjectColumn?: string
  columns: Record<string, ColumnClass>
}

export interface ModuleDataMap {
  module: string
  tables: Record<string, TableMap>
}

/** Declares a module's data map (typed helper; validation happens in the registry). */
export function defineDataMap(map: ModuleDataMap): ModuleDataMap {
  return map
}

export const notPersonal = (note?: string): NotPersonalColumn =>
  note === undefined ? { category: 'not_personal' } : { category: 'not_personal', note }

export interface ClassifiedColumn {
  module: string
  table: string
  column: string
  classification: ColumnClass
}

export interface LiveColumn {
  table: string
  column: string
}

export interface DataMapRegistry {
  modules(): readonly ModuleDataMap[]
  table(name: string): (TableMap & { module: string }) | undefined
  column(table: string, column: string): ColumnClass | undefined
  columns(): ClassifiedColumn[]
  /** Live columns that no module classified. */
  unclassified(live: readonly LiveColumn[]): LiveColumn[]
  /** Classified columns that no longer exist in the live schema. */
  stale(live: readonly LiveColumn[]): LiveColumn[]
}

export class DataMapError extends Error {
  override name = 'DataMapError'
}

function validate(map: ModuleDataMap, seen: Map<string, string>): void {
  for (const [table, def] of Object.entries(map.tables)) {
    const owner = seen.get(table)
    if (owner) throw new DataMapError(`Table ${table} is declared by both ${owner} and ${map.module}`)
    seen.set(table, map.module)
    if (def.subjectColumn && !def.columns[def.subjectColumn]) {
      throw new DataMapError(`${map.module}: ${table}.subjectColumn ${def.subjectColumn} is not a declared column`)
    }
    for (const [column, c] of Object.entries(def.columns)) {
      if (c.category === 'not_personal') continue
      if (c.purposes.length === 0) throw new DataMapError(`${table}.${column}: a personal column needs a purpose`)
      if (RESTRICTED_CATEGORIES.includes(c.category) && !c.encrypted && c.erase !== 'retain') {
        throw new DataMapError(`${table}.${column}: restricted category ${c.category} must be encrypted`)
      }
    }
  }
}

/** Builds the registry and validates the declarations (fails fast at start-up). */
export function createDataMapRegistry(maps: readonly ModuleDataMap[]): DataMapRegistry {
  const seen = new Map<string, string>()
  for (const m of maps) validate(m, seen)
  const byTable = new Map<string, TableMap & { module: string }>()
  for (const m of maps) for (const [t, def] of Object.entries(m.tables)) byTable.set(t, { ...def, module: m.module })
  const key = (c: LiveColumn) => `${c.table}.${c.column}`
  const declared = () =>
    [...byTable.entries()].flatMap(([table, def]) =>
      Object.entries(def.columns).map(([column, classification]) => ({
        module: def.module,
        table,
        column,
        classification,
      })),
    )
  return {
    modules: () => maps,
    table: (name) => byTable.get(name),
    column: (table, column) => byTable.get(table)?.columns[column],
    columns: declared,
    unclassified: (live) => live.filter((c) => !byTable.get(c.table)?.columns[c.column]),
    stale: (live) => {
      const liveKeys = new Set(live.map(key))
      return declared()
        .filter((c) => !liveKeys.has(key(c)))
        .map(({ table, column }) => ({ table, column }))
    },
  }
}

export function isPersonal(c: ColumnClass): c is PersonalColumn {
  return c.category !== 'not_personal'
}

export type { Classification }

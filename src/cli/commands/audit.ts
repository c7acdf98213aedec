/**
 * `oqu audit …` commands. The functions take an open database and return
 * the exit status; the `*CliCommand` objects fit the CLI's command list
 * (they are typed structurally, so this file does not import the list back).
 */
import type { Config } from '../../config'
import { createAuditLog, type AuditLog } from '../../platform/audit/index'
import type { Db } from '../../platform/db/database'
import { withDatabase } from '../open'

/** Where a command writes its report (process.stdout fits). */
export interface CommandOutput {
  write(text: string): unknown
}

/** What the CLI entry hands a command. */
export interface CliIo {
  config: Config
  args: string[]
  out: CommandOutput
  err: CommandOutput
}

/** Reads `--name=N` or `--name N` as a positive whole number. */
export function intOption(args: readonly string[], name: string, fallback: number): number {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`))
  if (i < 0) return fallback
  const raw = args[i]!.includes('=') ? args[i]!.split('=')[1] : args[i + 1]
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} expects a positive whole number`)
  return n
}

/** `oqu audit verify`: recomputes the hash chain; 0 when intact, 1 at the first bad entry. */
export async function auditVerifyCommand(
  db: Db,
  out: CommandOutput,
  audit: AuditLog = createAuditLog(),
): Promise<number> {
  const result = await audit.verify(db)
  if (result.ok) {
    out.write(`OK: ${result.checked} entries verified, ${result.unsealed} not yet sealed\n`)
    return 0
  }
  const bad = result.firstBad
  const where = bad?.id ? `seq ${bad.seq} (row id ${bad.id})` : `seq ${bad?.seq ?? '?'}`
  out.write(`FAILED at ${where}: ${bad?.reason ?? 'unknown reason'}\n`)
  out.write(`${result.checked} entries verified before it; ${result.unsealed} not yet sealed\n`)
  return 1
}

/** `oqu audit seal`: links committed entries into the chain now (the scheduled job does this too). */
export async function auditSealCommand(
  db: Db,
  out: CommandOutput,
  audit: AuditLog = createAuditLog(),
  options: { batchSize?: number } = {},
): Promise<number> {
  const result = await audit.seal(db, options)
  out.write(`Sealed ${result.sealed} entries; the chain ends at seq ${result.lastSeq} (hash ${result.lastHash})\n`)
  return 0
}

export const auditVerifyCliCommand = {
  name: 'audit verify',
  summary: 'Verify the audit log hash chain (exit status 1 and the first bad entry when it is broken)',
  run: ({ config, out }: CliIo) => withDatabase(config, ({ db }) => auditVerifyCommand(db, out)),
}

export const auditSealCliCommand = {
  name: 'audit seal',
  summary: 'Link committed audit entries into the hash chain now (a scheduled job does this every minute)',
  usage: '[--batch-size N]',
  run: ({ config, args, out }: CliIo) =>
    withDatabase(config, ({ db }) =>
      auditSealCommand(db, out, createAuditLog(), { batchSize: intOption(args, 'batch-size', 500) }),
    ),
}

/** The list of `oqu` commands, in the order `--help` shows them. */
import type { Command } from './command'
import { adminCreateCliCommand, adminResetSecondFactorCliCommand } from './commands/admin'
import { auditSealCliCommand, auditVerifyCliCommand } from './commands/audit'
import { dbMigrateCommand } from './commands/db'
import { keysAddCliCommand, keysRotateCliCommand } from './commands/keys'
import { privacyInventoryCommand } from './commands/privacy'

export type { Command, CommandIo } from './command'

export const commands: readonly Command[] = [
  dbMigrateCommand,
  auditVerifyCliCommand,
  auditSealCliCommand,
  keysRotateCliCommand,
  keysAddCliCommand,
  adminCreateCliCommand,
  adminResetSecondFactorCliCommand,
  privacyInventoryCommand,
]

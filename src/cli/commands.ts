/** The list of `oqu` commands, in the order `--help` shows them. */
import type { Command } from './command'
import { dbMigrateCommand } from './commands/db'
import { privacyInventoryCommand } from './commands/privacy'

export type { Command, CommandIo } from './command'

export const commands: readonly Command[] = [dbMigrateCommand, privacyInventoryCommand]

/**
 * `oqu keys …` commands: master-key rotation. Rotation re-wraps the
 * per-subject data keys; field values are not rewritten, so the platform
 * keeps running while it works. Functions return the exit status.
 */
import path from 'node:path'
import {
  addLocalMasterKey,
  keyringFromConfig,
  LOCAL_KEYRING_FILE,
  rotateKeys,
  type Keyring,
} from '../../platform/crypto/index'
import type { Db } from '../../platform/db/database'
import { withDatabase } from '../open'
import { intOption, type CliIo, type CommandOutput } from './audit'

/** `oqu keys rotate`: re-wraps every data key under the active master key; 0 when none is left under an old key. */
export async function keysRotateCommand(
  db: Db,
  keyring: Keyring,
  out: CommandOutput,
  options: { batchSize?: number } = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 100
  out.write(`Re-wrapping data keys under master key ${keyring.activeId} (batches of ${batchSize})\n`)
  const report = await rotateKeys(db, keyring, {
    batchSize,
    onProgress: (p) => out.write(`  batch ${p.batch}: ${p.rewrapped} re-wrapped, ${p.remaining} to go\n`),
  })
  out.write(`Re-wrapped ${report.rewrapped} data keys.\n`)
  const missing = Object.entries(report.unavailable)
  if (missing.length > 0) {
    const list = missing.map(([id, n]) => `${id} (${n})`).join(', ')
    out.write(
      `FAILED: data keys are wrapped under master keys missing from the keyring: ${list}. Add them back and run again.\n`,
    )
    return 1
  }
  if (report.remaining > 0) {
    out.write(`${report.remaining} data keys were busy; run the command again.\n`)
    return 1
  }
  const old = keyring.ids().filter((id) => id !== keyring.activeId)
  const hint =
    old.length > 0 ? ` Master keys ${old.join(', ')} are no longer needed and may be removed from the keyring.` : ''
  out.write(`OK: every data key is under ${keyring.activeId}.${hint}\n`)
  return 0
}

/** `oqu keys add` (embedded mode): adds a fresh master key to the local keyring and makes it active. */
export function keysAddLocalCommand(dataDir: string, out: CommandOutput): number {
  const { keyId } = addLocalMasterKey(dataDir)
  const file = path.join(dataDir, LOCAL_KEYRING_FILE)
  out.write(`Added master key ${keyId} to ${file}; it is now active. Run "oqu keys rotate" to re-wrap the data keys.\n`)
  return 0
}

export const keysRotateCliCommand = {
  name: 'keys rotate',
  summary: 'Re-wrap every data key under the active master key (OQU_ACTIVE_KEY_ID); safe to re-run, no downtime',
  usage: '[--batch-size N]',
  run: ({ config, args, out, err }: CliIo) => {
    const { keyring, warning } = keyringFromConfig(config)
    if (warning) err.write(`${warning}\n`)
    const batchSize = intOption(args, 'batch-size', 100)
    return withDatabase(config, ({ db }) => keysRotateCommand(db, keyring, out, { batchSize }))
  },
}

export const keysAddCliCommand = {
  name: 'keys add',
  summary: 'Embedded mode: add a new master key to the local keyring and make it active (then run keys rotate)',
  run: async ({ config, out, err }: CliIo) => {
    if (config.keyring !== undefined) {
      err.write('OQU_KEYRING is set: add a new id:key entry to it and set OQU_ACTIVE_KEY_ID instead.\n')
      return 1
    }
    return keysAddLocalCommand(config.dataDir, out)
  },
}

/** `oqu privacy inventory`: writes docs/privacy/inventory.md from the data map. */
import fs from 'node:fs'
import path from 'node:path'
import { createDataMaps } from '../../data-maps'
import { renderInventory } from '../../platform/data-map/inventory'
import type { Command } from '../command'

export const privacyInventoryCommand: Command = {
  name: 'privacy inventory',
  summary: 'Write the personal-data inventory (docs/privacy/inventory.md) from the data map',
  usage: '[--stdout]',
  async run({ args, out }) {
    const text = renderInventory(createDataMaps())
    if (args.includes('--stdout')) {
      out.write(text)
      return 0
    }
    const file = path.resolve('docs/privacy/inventory.md')
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, text)
    out.write(`Wrote ${path.relative(process.cwd(), file)}\n`)
    return 0
  },
}

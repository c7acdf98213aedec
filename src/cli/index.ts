/**
 * `npx oqu <command>`: the operator's command line. Each command opens the
 * configured database (PostgreSQL with DATABASE_URL, else the embedded one —
 * which refuses while `npm start` holds it) and exits with a status code.
 */
import { ConfigError, loadConfig } from '../config'
import { DataDirLockedError } from '../platform/db/dir-lock'
import { commands, type Command } from './commands'

function usage(list: readonly Command[]): string {
  const width = Math.max(...list.map((c) => c.name.length))
  return [
    'Usage: npx oqu <command> [options]',
    '',
    'Commands:',
    ...list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `npx oqu <command> --help` for a command’s options.',
    'Configuration comes from the environment (see .env.example): DATABASE_URL, OQU_DATA_DIR, OQU_PROFILE, …',
  ].join('\n')
}

async function run(argv: string[]): Promise<number> {
  const words = argv.filter((a) => !a.startsWith('-'))
  const command = commands.find((c) => {
    const parts = c.name.split(' ')
    return parts.every((p, i) => words[i] === p)
  })
  if (!command) {
    const asked = words.join(' ')
    if (asked && !argv.includes('--help') && !argv.includes('-h')) {
      process.stderr.write(`Unknown command: ${asked}\n\n`)
      process.stdout.write(`${usage(commands)}\n`)
      return 2
    }
    process.stdout.write(`${usage(commands)}\n`)
    return 0
  }
  const rest = argv.slice(argv.indexOf(command.name.split(' ').at(-1) ?? '') + 1)
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(
      `Usage: npx oqu ${command.name} ${command.usage ?? ''}\n\n${command.summary}\n${command.help ?? ''}\n`,
    )
    return 0
  }
  const config = loadConfig()
  return command.run({ config, args: rest, out: process.stdout, err: process.stderr })
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof DataDirLockedError) {
      process.stderr.write(`${err.message}\n`)
      process.exit(1)
    }
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    process.exit(1)
  },
)

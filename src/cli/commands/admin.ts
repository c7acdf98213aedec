/**
 * `oqu admin create`: makes an administrator account (the first one, on a
 * fresh install). The password comes from stdin (`--password-stdin`), from a
 * hidden prompt on a terminal, or is generated and shown once. Output names
 * the account by id only; the address and password never reach a log.
 */
import { randomInt, randomUUID } from 'node:crypto'
import type { Config } from '../../config'
import {
  AccountsError,
  checkPasswordPolicy,
  createAccountsService,
  createLoginThrottle,
  createSecondFactorService,
  createSessionsService,
  EmailTakenError,
  tryNormaliseEmail,
} from '../../modules/accounts/index'
import { createAuditLog, type AuditLog } from '../../platform/audit/index'
import { systemClock, type Clock } from '../../platform/clock'
import { systemCtx } from '../../platform/context'
import { createFieldCrypto, keyringFromConfig, type FieldCrypto } from '../../platform/crypto/index'
import type { Db } from '../../platform/db/database'
import { migrateToLatest } from '../../platform/db/migrate'
import type { Command } from '../command'
import { withDatabase } from '../open'
import type { CommandOutput } from './audit'

const USAGE = '--email ADDRESS [--password-stdin]'
const PROMPT_ATTEMPTS = 3
const STDIN_LIMIT = 16 * 1024
// ESC, then a CSI (`[` … final letter or `~`) or SS3 (`O` + one character) sequence.
const ESCAPE_SEQUENCE = new RegExp(String.raw`\u001b(?:\[[0-9;]*[A-Za-z~]|O.)?`, 'g')
const SECOND_FACTOR_NOTE =
  'Note: staff roles (admin, dpo, support) require a second factor (TOTP) at sign-in. ' +
  'At the first sign-in this administrator is asked to set up an authenticator app before anything else.\n'

/** Where the password comes from; the CLI passes the process's stdin, tests pass a fake. */
export interface PasswordInput {
  /** True when a person at a terminal can answer prompts. */
  isTTY: boolean
  /** Everything piped to stdin. */
  readAll(): Promise<string>
  /** Asks a question without echoing the answer; rejects with PromptCancelled on Ctrl-C. */
  askHidden(question: string): Promise<string>
}

export class PromptCancelled extends Error {
  override name = 'PromptCancelled'
}

/** What creating the account needs, opened by the caller (the configured database, or a test's). */
export interface AccountsAccess {
  db: Db
  audit: Pick<AuditLog, 'record'>
  crypto: Pick<FieldCrypto, 'encryptField' | 'decryptField' | 'blindIndex'>
  clock?: Clock
}

export type OpenAccounts = <T>(fn: (access: AccountsAccess) => Promise<T>) => Promise<T>

export interface AdminCreateIo {
  args: readonly string[]
  out: CommandOutput
  err: CommandOutput
  input: PasswordInput
}

type Parsed = { email: string | undefined; passwordStdin: boolean } | { error: string }

function parseArgs(args: readonly string[]): Parsed {
  let email: string | undefined
  let passwordStdin = false
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--password-stdin') passwordStdin = true
    else if (arg.startsWith('--email=')) email = arg.slice('--email='.length)
    else if (arg === '--email') {
      email = args[i + 1]
      if (email === undefined || email.startsWith('--')) return { error: '--email needs an address' }
      i++
    } else return { error: `Unknown option: ${arg.startsWith('--') ? arg.split('=')[0] : '(a stray argument)'}` }
  }
  return { email, passwordStdin }
}

/** A random password of 4 groups of 5 letters and digits (≈116 bits), without look-alike characters. */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'
  const group = () => Array.from({ length: 5 }, () => alphabet[randomInt(alphabet.length)]).join('')
  return [group(), group(), group(), group()].join('-')
}

const policyProblem = (password: string): string | undefined => {
  try {
    checkPasswordPolicy(password)
    return undefined
  } catch (e) {
    if (e instanceof AccountsError) return e.message
    throw e
  }
}

/** Asks twice, hidden, until the answers match and meet the policy (a few attempts). */
async function promptPassword(input: PasswordInput, err: CommandOutput): Promise<string | undefined> {
  for (let attempt = 1; attempt <= PROMPT_ATTEMPTS; attempt++) {
    const first = await input.askHidden('Password for the new administrator (at least 12 characters): ')
    const problem = policyProblem(first)
    if (problem) {
      err.write(`${problem}.\n`)
      continue
    }
    if ((await input.askHidden('Repeat the password: ')) === first) return first
    err.write('The passwords do not match.\n')
  }
  return undefined
}

type Password = { password: string; generated: boolean } | { exit: number }

async function obtainPassword(passwordStdin: boolean, io: AdminCreateIo): Promise<Password> {
  if (passwordStdin) {
    const text = await io.input.readAll()
    if (text.length > STDIN_LIMIT) return fail(io, 'The password on stdin is far too long.')
    const password = text.replace(/\r?\n$/, '')
    if (password === '') return fail(io, 'No password on stdin (--password-stdin).')
    const problem = policyProblem(password)
    return problem ? fail(io, `Password refused: ${problem}.`) : { password, generated: false }
  }
  if (io.input.isTTY) {
    try {
      const password = await promptPassword(io.input, io.err)
      return password === undefined ? fail(io, 'No password set; nothing was created.') : { password, generated: false }
    } catch (e) {
      if (e instanceof PromptCancelled) return fail(io, 'Cancelled; nothing was created.', 130)
      throw e
    }
  }
  let password = generatePassword()
  while (policyProblem(password)) password = generatePassword()
  return { password, generated: true }
}

function fail(io: Pick<AdminCreateIo, 'err'>, message: string, exit = 1): { exit: number } {
  io.err.write(`${message}\n`)
  return { exit }
}

const isUndefinedTable = (e: unknown) =>
  typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '42P01'

/** Runs `oqu admin create` with the given arguments, password input and database; returns the exit status. */
export async function adminCreateCommand(io: AdminCreateIo, open: OpenAccounts): Promise<number> {
  const parsed = parseArgs(io.args)
  if ('error' in parsed) return fail(io, `${parsed.error}\nUsage: npx oqu admin create ${USAGE}`, 2).exit
  if (parsed.email === undefined) {
    return fail(io, `Missing --email.\nUsage: npx oqu admin create ${USAGE}`, 2).exit
  }
  if (tryNormaliseEmail(parsed.email) === undefined) return fail(io, '--email is not a valid e-mail address.').exit
  const got = await obtainPassword(parsed.passwordStdin, io)
  if ('exit' in got) return got.exit
  const email = parsed.email
  try {
    const account = await open(async ({ db, audit, crypto, clock }) => {
      const accounts = createAccountsService({ audit, crypto })
      const ctx = systemCtx(db, clock ?? systemClock, `cli-${randomUUID()}`)
      return accounts.createAccount(ctx, { email, password: got.password, roles: ['admin'] })
    })
    io.out.write(`Created administrator account ${account.id}.\n`)
    if (got.generated) {
      io.out.write(`Generated password (shown only this once): ${got.password}\n`)
      io.out.write('Warning: store it somewhere safe and change it after the first sign-in.\n')
    }
    io.out.write(SECOND_FACTOR_NOTE)
    return 0
  } catch (e) {
    if (e instanceof EmailTakenError)
      return fail(io, 'An account with this e-mail address already exists; nothing was changed.').exit
    if (e instanceof AccountsError) return fail(io, `${e.message}.`).exit
    if (isUndefinedTable(e))
      return fail(io, 'The database has no accounts tables yet: run `npx oqu db migrate` first.').exit
    throw e
  }
}

/** The process's stdin as a PasswordInput (hidden prompts go to stderr). */
export function processPasswordInput(
  stdin: NodeJS.ReadStream = process.stdin,
  prompt: CommandOutput = process.stderr,
): PasswordInput {
  return {
    isTTY: stdin.isTTY === true,
    async readAll() {
      const chunks: Buffer[] = []
      let size = 0
      for await (const chunk of stdin) {
        const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk))
        chunks.push(buf)
        if ((size += buf.length) > STDIN_LIMIT) break
      }
      return Buffer.concat(chunks).toString('utf8')
    },
    askHidden: (question) => askHidden(stdin, prompt, question),
  }
}

/** Reads one line from a terminal in raw mode, echoing nothing. */
function askHidden(stdin: NodeJS.ReadStream, prompt: CommandOutput, question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = ''
    const finish = (settle: () => void) => {
      stdin.off('data', onData)
      stdin.setRawMode(false)
      stdin.pause()
      prompt.write('\n')
      settle()
    }
    const onData = (chunk: Buffer | string) => {
      // Arrow and function keys arrive as escape sequences: they are not part of a password.
      for (const ch of String(chunk).replace(ESCAPE_SEQUENCE, '')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish(() => resolve(answer))
        if (ch === '\u0003') return finish(() => reject(new PromptCancelled()))
        if (ch === '\u007f' || ch === '\b') answer = [...answer].slice(0, -1).join('')
        else if (ch >= ' ') answer += ch
      }
    }
    // Raw mode before the prompt shows, so not even a fast typist's first key is echoed.
    stdin.setRawMode(true)
    stdin.setEncoding('utf8')
    prompt.write(question)
    stdin.on('data', onData)
    stdin.resume()
  })
}

/** Opens the configured database with audit and field encryption; migrates the embedded one as `npm start` does. */
export function openConfiguredAccounts(config: Config, out: CommandOutput, err: CommandOutput): OpenAccounts {
  return (fn) =>
    withDatabase(config, async ({ db, kind }) => {
      if (kind === 'pglite') {
        const { applied } = await migrateToLatest(db)
        if (applied.length > 0) out.write(`Applied ${applied.length} migration(s) to the embedded database.\n`)
      }
      const { keyring, warning } = keyringFromConfig(config)
      if (warning) err.write(`${warning}\n`)
      const audit = createAuditLog()
      return fn({ db, audit, crypto: createFieldCrypto({ keyring, audit }) })
    })
}

export const adminCreateCliCommand: Command = {
  name: 'admin create',
  summary: 'Create an administrator account (the first admin of a new install)',
  usage: USAGE,
  help: [
    '',
    'The password is read from stdin with --password-stdin; otherwise it is asked for twice (hidden) on a',
    'terminal; without a terminal a strong one is generated and printed once. Passwords need 12 to 256',
    'characters. Exit status: 0 created, 1 refused (invalid or taken address, weak password), 2 usage.',
  ].join('\n'),
  run: ({ config, args, out, err }) =>
    adminCreateCommand({ args, out, err, input: processPasswordInput() }, openConfiguredAccounts(config, out, err)),
}

const RESET_USAGE = '--email ADDRESS'

/**
 * Runs `oqu admin reset-second-factor`: removes the TOTP factor and recovery
 * codes of the account with this address (a staff member who lost their
 * phone and codes) and ends its sessions; the next sign-in enrols anew.
 * Only someone with access to the server (and its keys) can do this.
 */
export async function adminResetSecondFactorCommand(
  io: Pick<AdminCreateIo, 'args' | 'out' | 'err'>,
  open: OpenAccounts,
): Promise<number> {
  const parsed = parseArgs(io.args)
  const usage = `Usage: npx oqu admin reset-second-factor ${RESET_USAGE}`
  if ('error' in parsed || parsed.passwordStdin) return fail(io, `Unknown option.\n${usage}`, 2).exit
  if (parsed.email === undefined) return fail(io, `Missing --email.\n${usage}`, 2).exit
  const email = parsed.email
  const result = await open(async ({ db, audit, crypto, clock }) => {
    const ctx = systemCtx(db, clock ?? systemClock, `cli-${randomUUID()}`)
    const accounts = createAccountsService({ audit, crypto })
    const account = await accounts.findByEmail(ctx, email)
    if (!account) return undefined
    const sessions = createSessionsService({ audit, crypto })
    const throttle = createLoginThrottle({ crypto })
    const factor = createSecondFactorService({ audit, crypto, accounts, sessions, throttle })
    return { id: account.id, had: await factor.reset(ctx, account.id) }
  })
  if (!result) return fail(io, 'No account has this e-mail address; nothing was changed.').exit
  io.out.write(
    result.had
      ? `Removed the second factor of account ${result.id} and ended its sessions; it sets up a new one at next sign-in.\n`
      : `Account ${result.id} had no second factor; its sessions were ended.\n`,
  )
  return 0
}

export const adminResetSecondFactorCliCommand: Command = {
  name: 'admin reset-second-factor',
  summary: "Remove a staff member's lost second factor (TOTP); they set up a new one at next sign-in",
  usage: RESET_USAGE,
  help: '\nEnds every session of the account. Exit status: 0 done, 1 no such account, 2 usage.',
  run: ({ config, args, out, err }) =>
    adminResetSecondFactorCommand({ args, out, err }, openConfiguredAccounts(config, out, err)),
}

import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, it } from 'node:test'
import { createTestDatabase, describeEachDatabase } from '../../../test/database'
import { loadConfig } from '../../config'
import {
  createAccountsService,
  createSessionsService,
  verifyPassword,
  type AccountTables,
} from '../../modules/accounts/index'
import { createAuditLog } from '../../platform/audit/index'
import { systemClock } from '../../platform/clock'
import { systemCtx } from '../../platform/context'
import { createFieldCrypto, createKeyring } from '../../platform/crypto/index'
import type { Db } from '../../platform/db/database'
import {
  adminCreateCommand,
  adminResetSecondFactorCommand,
  generatePassword,
  openConfiguredAccounts,
  PromptCancelled,
  type OpenAccounts,
  type PasswordInput,
} from './admin'

const audit = createAuditLog()
const crypto = createFieldCrypto({
  keyring: createKeyring(new Map([['k1', randomBytes(32)]]), 'k1', randomBytes(32)),
  audit,
})
const accounts = createAccountsService({ audit, crypto })
const PASSWORD = 'Алматы таулары 2026'

function capture() {
  let text = ''
  return { write: (s: string) => (text += s), text: () => text }
}

/** A fake stdin: piped text, or a terminal answering prompts in turn. */
function fakeInput(options: { stdin?: string; tty?: boolean; answers?: (string | Error)[] }) {
  const asked: string[] = []
  const answers = [...(options.answers ?? [])]
  const input: PasswordInput = {
    isTTY: options.tty ?? false,
    readAll: async () => options.stdin ?? '',
    askHidden: async (question) => {
      asked.push(question)
      const answer = answers.shift()
      if (answer === undefined) throw new Error('no more answers')
      if (answer instanceof Error) throw answer
      return answer
    },
  }
  return { input, asked }
}

async function run(db: Db | undefined, args: string[], input: PasswordInput) {
  const out = capture()
  const err = capture()
  let opened = false
  const open: OpenAccounts = (fn) => {
    opened = true
    if (!db) throw new Error('the database should not be opened')
    return fn({ db, audit, crypto })
  }
  const code = await adminCreateCommand({ args, out, err, input }, open)
  return { code, out: out.text(), err: err.text(), opened }
}

async function passwordHashOf(db: Db, email: string): Promise<string> {
  const account = await accounts.findByEmail(systemCtx(db, systemClock), email)
  assert.ok(account, 'the account exists')
  const row = await db
    .withTables<AccountTables>()
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', account.id)
    .executeTakeFirstOrThrow()
  return row.password_hash!
}

describeEachDatabase('oqu admin create', (get) => {
  it('creates an admin with the password from stdin, naming it by id only', async () => {
    const { db } = get()
    const r = await run(
      db,
      ['--email', 'Admin@Example.KZ', '--password-stdin'],
      fakeInput({ stdin: `${PASSWORD}\n` }).input,
    )
    assert.equal(r.code, 0, r.err)
    const account = await accounts.findByEmail(systemCtx(db, systemClock), 'admin@example.kz')
    assert.ok(account)
    assert.deepEqual(account.roles, ['admin'])
    assert.match(r.out, new RegExp(`^Created administrator account ${account.id}\\.\\n`))
    assert.match(r.out, /require a second factor \(TOTP\).*set up an authenticator app/s)
    assert.ok(!/admin@example/i.test(r.out + r.err), 'the address is not echoed')
    assert.ok(!(r.out + r.err).includes(PASSWORD))
    assert.ok(
      await verifyPassword(await passwordHashOf(db, 'admin@example.kz'), PASSWORD),
      'the newline is not part of it',
    )
  })

  it('without a terminal, generates a strong password and shows it once with a warning', async () => {
    const { db } = get()
    const r = await run(db, ['--email=ops@example.kz'], fakeInput({}).input)
    assert.equal(r.code, 0, r.err)
    const shown = /Generated password \(shown only this once\): (\S+)\n/.exec(r.out)?.[1]
    assert.ok(shown && shown.length >= 20, r.out)
    assert.match(r.out, /Warning: store it somewhere safe and change it after the first sign-in/)
    assert.ok(await verifyPassword(await passwordHashOf(db, 'ops@example.kz'), shown))
  })

  it('on a terminal, asks twice without echo and asks again after a weak or mismatched answer', async () => {
    const { db } = get()
    const { input, asked } = fakeInput({ tty: true, answers: ['short', PASSWORD, 'typo', PASSWORD, PASSWORD] })
    const r = await run(db, ['--email', 'tty@example.kz'], input)
    assert.equal(r.code, 0, r.err)
    assert.equal(asked.length, 5)
    assert.match(r.err, /at least 12 characters\.\n.*The passwords do not match\.\n/s)
    assert.ok(!r.out.includes('Generated password'))
    assert.ok(await verifyPassword(await passwordHashOf(db, 'tty@example.kz'), PASSWORD))
  })

  it('gives up after three failed prompts, or on Ctrl-C, and creates nothing', async () => {
    const { db } = get()
    const tired = await run(
      db,
      ['--email', 'nope@example.kz'],
      fakeInput({ tty: true, answers: ['a', 'b', 'c'] }).input,
    )
    assert.equal(tired.code, 1)
    assert.match(tired.err, /No password set; nothing was created/)
    assert.equal(tired.opened, false)
    const cancelled = await run(
      db,
      ['--email', 'nope@example.kz'],
      fakeInput({ tty: true, answers: [new PromptCancelled()] }).input,
    )
    assert.equal(cancelled.code, 130)
    assert.equal(await accounts.findByEmail(systemCtx(db, systemClock), 'nope@example.kz'), undefined)
  })

  it('refuses a taken address with exit status 1 and changes nothing', async () => {
    const { db } = get()
    const r = await run(
      db,
      ['--email', ' ADMIN@example.kz', '--password-stdin'],
      fakeInput({ stdin: 'another strong one' }).input,
    )
    assert.equal(r.code, 1)
    assert.equal(r.err, 'An account with this e-mail address already exists; nothing was changed.\n')
    assert.equal(r.out, '')
  })

  it('refuses bad arguments and weak passwords before opening the database', async () => {
    const cases: [string[], string, number, RegExp][] = [
      [[], '', 2, /^Missing --email\.\nUsage: npx oqu admin create --email ADDRESS \[--password-stdin\]\n$/],
      [['--email'], '', 2, /--email needs an address/],
      [['--email', 'a@example.kz', '--force'], '', 2, /Unknown option: --force/],
      [['--email', 'not-an-address', '--password-stdin'], PASSWORD, 1, /^--email is not a valid e-mail address\.\n$/],
      [['--email', 'a@example.kz', '--password-stdin'], '', 1, /No password on stdin/],
      [['--email', 'a@example.kz', '--password-stdin'], 'short\n', 1, /Password refused: .*at least 12 characters/],
      [['--email', 'a@example.kz', '--password-stdin'], 'aaaaaaaaaaaaaaaa', 1, /Password refused: .*repeated/],
    ]
    for (const [args, stdin, code, message] of cases) {
      const r = await run(undefined, args, fakeInput({ stdin }).input)
      assert.equal(r.code, code, args.join(' '))
      assert.match(r.err, message)
      assert.equal(r.opened, false)
    }
  })
})

it('says to run the migrations when the database has no accounts tables', async () => {
  const bare = await createTestDatabase('pglite', { migrate: false })
  try {
    const r = await run(bare.db, ['--email', 'a@example.kz', '--password-stdin'], fakeInput({ stdin: PASSWORD }).input)
    assert.equal(r.code, 1)
    assert.match(r.err, /run `npx oqu db migrate` first/)
  } finally {
    await bare.dispose()
  }
})

it('generates passwords that meet the policy and differ', () => {
  const a = generatePassword()
  assert.match(a, /^[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}$/)
  assert.notEqual(a, generatePassword())
})

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oqu-admin-'))
after(() => fs.rmSync(dataDir, { recursive: true, force: true }))

it('on a fresh embedded data directory: migrates, creates the local keyring, and finds the address again next time', async () => {
  const config = loadConfig({ NODE_ENV: 'test', OQU_DATA_DIR: dataDir })
  const attempt = async () => {
    const out = capture()
    const err = capture()
    const io = {
      args: ['--email', 'first@example.kz', '--password-stdin'],
      out,
      err,
      input: fakeInput({ stdin: PASSWORD }).input,
    }
    const code = await adminCreateCommand(io, openConfiguredAccounts(config, out, err))
    return { code, out: out.text(), err: err.text() }
  }
  const first = await attempt()
  assert.equal(first.code, 0, first.err)
  assert.match(first.out, /^Applied \d+ migration\(s\) to the embedded database\.\nCreated administrator account /)
  const second = await attempt()
  assert.equal(second.code, 1)
  assert.match(second.err, /already exists/)
  assert.ok(!second.out.includes('Applied'))
})

describeEachDatabase('oqu admin reset-second-factor', (get) => {
  it("removes a staff member's factor and recovery codes and ends their sessions; refuses an unknown address", async () => {
    const { db } = get()
    const open: OpenAccounts = (fn) => fn({ db, audit, crypto })
    const ctx = systemCtx(db, systemClock)
    const email = `staff.${randomBytes(3).toString('hex')}@example.kz`
    const admin = await accounts.createAccount(ctx, { email, password: PASSWORD, roles: ['admin'] })
    await db
      .withTables<AccountTables>()
      .insertInto('totp_factors')
      .values({
        user_id: admin.id,
        secret_ciphertext: 'v1.placeholder',
        created_at: new Date(),
        confirmed_at: new Date(),
        last_used_step: 1,
      })
      .execute()
    const sessions = createSessionsService({ audit, crypto })
    const open1 = await sessions.start(ctx, { userId: admin.id })
    const out = capture()
    const err = capture()
    assert.equal(await adminResetSecondFactorCommand({ args: ['--email', email.toUpperCase()], out, err }, open), 0)
    assert.match(out.text(), new RegExp(`Removed the second factor of account ${admin.id}`))
    const left = await db
      .withTables<AccountTables>()
      .selectFrom('totp_factors')
      .select('user_id')
      .where('user_id', '=', admin.id)
      .execute()
    assert.deepEqual(left, [])
    assert.equal(await sessions.resolve(ctx, open1.token), undefined, 'its sessions ended')
    assert.equal(await adminResetSecondFactorCommand({ args: ['--email', 'nobody@example.kz'], out, err }, open), 1)
    assert.match(err.text(), /No account has this e-mail address/)
    assert.equal(await adminResetSecondFactorCommand({ args: [], out, err }, open), 2)
  })
})

// The consent ledger (law Art. 8(4), T-1.2, B-1.2): an acceptance names the exact version, language and text hash
// shown; a mismatch is refused and leaves no trace; records can never be changed or removed.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { before, it } from 'node:test'
import { sql } from 'kysely'
import { describeEachDatabase } from '../../../test/database'
import { systemCtx } from '../../platform/context'
import { CONSENT_IP_FIELD, CONSENT_USER_AGENT_FIELD, type PolicyAcceptanceInput } from './consents.service'
import { InvalidConsentError, PolicyNotFoundError, PolicyTextMismatchError } from './privacy.errors'
import { ledgerCounts, privacyFixtures } from './test-fixtures'

const f = privacyFixtures()

describeEachDatabase('consent ledger', (get) => {
  before(async () => {
    await f.policies.ensureInitialPolicy(systemCtx(get().db, f.clock), f.talap)
  })

  const shown = async (locale: 'kk' | 'ru' | 'en' = 'kk') => {
    const policy = await f.policies.currentPolicy(get().db, 'talap', locale, f.clock.now())
    assert.ok(policy)
    return policy
  }

  it('records an acceptance of exactly the version and text shown, with time, channel and audit entry (T-1.2)', async () => {
    const db = get().db
    const policy = await shown('ru')
    const subjectId = randomUUID()
    const record = await f.consents.recordPolicyAcceptance(f.ctx(db, 'ru'), {
      subjectId,
      policyVersionId: policy.versionId,
      locale: 'ru',
      textSha256: policy.sha256,
      channel: 'web_registration',
      evidence: { form: 'register' },
    })
    assert.equal(record.subjectId, subjectId)
    assert.equal(record.givenBy, subjectId)
    assert.equal(record.kind, 'policy_acceptance')
    assert.equal(record.purpose, null)
    assert.deepEqual(
      [record.policyVersionId, record.locale, record.textSha256],
      [policy.versionId, 'ru', policy.sha256],
    )
    assert.equal(record.decidedAt.toISOString(), f.clock.now().toISOString())
    assert.equal(record.channel, 'web_registration')
    assert.deepEqual((await f.consents.findRecord(db, record.id))?.evidence, { form: 'register' })
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'subject_type', 'subject_id', 'target_type', 'target_id', 'data', 'ip'])
      .where('target_id', '=', record.id)
      .execute()
    assert.equal(audit.length, 1)
    assert.deepEqual(audit[0] && [audit[0].action, audit[0].subject_id, audit[0].target_type], [
      'consent.recorded',
      subjectId,
      'consent',
    ])
    assert.deepEqual(audit[0]?.data, {
      kind: 'policy_acceptance',
      version: 1,
      locale: 'ru',
      channel: 'web_registration',
      byRepresentative: false,
    })
  })

  it('keeps the IP address and browser only encrypted under the subject key', async () => {
    const db = get().db
    const policy = await shown()
    const subjectId = randomUUID()
    const input = { subjectId, policyVersionId: policy.versionId, locale: 'kk' as const, textSha256: policy.sha256 }
    const record = await f.consents.recordPolicyAcceptance(f.ctx(db), { ...input, channel: 'web_registration' })
    const row = await sql<{ t: string; ip: string; ua: string }>`
      select c::text as t, ip_ciphertext as ip, user_agent_ciphertext as ua from consent_records c where id = ${record.id}`.execute(
      db,
    )
    const stored = row.rows[0]
    assert.ok(stored)
    assert.ok(!stored.t.includes('203.0.113.7') && !stored.t.includes('Mozilla'), 'no plain IP or user agent')
    assert.equal(await f.crypto.decryptField(db, { subjectId, field: CONSENT_IP_FIELD }, stored.ip), '203.0.113.7')
    assert.match(await f.crypto.decryptField(db, { subjectId, field: CONSENT_USER_AGENT_FIELD }, stored.ua), /^Mozilla/)
  })

  it('refuses an acceptance whose hash is not the stored text, and writes nothing (not even a data key)', async () => {
    const db = get().db
    const policy = await shown()
    const ru = await shown('ru')
    const before = await ledgerCounts(db)
    const base = { subjectId: randomUUID(), policyVersionId: policy.versionId, channel: 'web_registration' as const }
    await assert.rejects(
      f.consents.recordPolicyAcceptance(f.ctx(db), { ...base, locale: 'kk', textSha256: 'f'.repeat(64) }),
      PolicyTextMismatchError,
    )
    // The Russian text's hash offered as the Kazakh one: the person saw another text.
    await assert.rejects(
      f.consents.recordPolicyAcceptance(f.ctx(db), { ...base, locale: 'kk', textSha256: ru.sha256 }),
      PolicyTextMismatchError,
    )
    await assert.rejects(
      f.consents.recordPolicyAcceptance(f.ctx(db), {
        ...base,
        policyVersionId: randomUUID(),
        locale: 'kk',
        textSha256: policy.sha256,
      }),
      PolicyNotFoundError,
    )
    assert.deepEqual(await ledgerCounts(db), before)
  })

  it('refuses malformed decisions and evidence that carries personal data', async () => {
    const db = get().db
    const policy = await shown()
    const ok = {
      subjectId: randomUUID(),
      policyVersionId: policy.versionId,
      locale: 'kk' as const,
      textSha256: policy.sha256,
      channel: 'web' as const,
    }
    const bad: PolicyAcceptanceInput[] = [
      { ...ok, subjectId: 'someone' },
      { ...ok, givenBy: 'parent' },
      { ...ok, textSha256: 'abc' },
      { ...ok, channel: 'fax' as 'web' },
      { ...ok, locale: 'de' as 'kk' },
      { ...ok, evidence: { note: 'aigerim@example.kz' } },
      { ...ok, evidence: { 'bad key': 1 } },
      { ...ok, evidence: { nested: { a: 1 } as unknown as string } },
    ]
    for (const input of bad)
      await assert.rejects(f.consents.recordPolicyAcceptance(f.ctx(db), input), InvalidConsentError)
  })

  it('records a guardian accepting for a minor (law Arts. 7–9)', async () => {
    const db = get().db
    const policy = await shown()
    const [child, guardian] = [randomUUID(), randomUUID()]
    const record = await f.consents.recordPolicyAcceptance(f.ctx(db), {
      subjectId: child,
      givenBy: guardian,
      policyVersionId: policy.versionId,
      locale: 'kk',
      textSha256: policy.sha256,
      channel: 'web',
    })
    assert.deepEqual([record.subjectId, record.givenBy], [child, guardian])
    assert.deepEqual(
      (await f.consents.recordsOf(db, child)).map((r) => r.id),
      [record.id],
    )
  })

  it('cannot update, delete or truncate a ledger row, whatever the code does (database triggers)', async () => {
    const db = get().db
    const policy = await shown()
    const row = await f.consents.recordPolicyAcceptance(f.ctx(db), {
      subjectId: randomUUID(),
      policyVersionId: policy.versionId,
      locale: 'kk',
      textSha256: policy.sha256,
      channel: 'web_registration',
    })
    const attempts = [
      sql`update consent_records set channel = 'web' where id = ${row.id}`,
      sql`update consent_records set evidence = '{}'::jsonb`,
      sql`delete from consent_records where id = ${row.id}`,
      sql`truncate consent_records`,
    ]
    for (const attempt of attempts) await assert.rejects(attempt.execute(db), /append-only/)
    assert.deepEqual(await f.consents.findRecord(db, row.id), row)
  })

  it('refuses, in the database itself, a record citing a text that was not published', async () => {
    const db = get().db
    const policy = await shown()
    const insert = (sha: string) => sql`insert into consent_records
      (id, subject_id, given_by, kind, policy_version_id, locale, text_sha256, decided_at, channel)
      values (${randomUUID()}, ${randomUUID()}, ${randomUUID()}, 'policy_acceptance', ${policy.versionId}, 'kk', ${sha}, now(), 'web')`
    await assert.rejects(insert('e'.repeat(64)).execute(db), /consent_records_text_shown/)
    await insert(policy.sha256).execute(db)
  })
})

// Policy versions (T-6.1, T-6.2): version 1 is the seed text, loaded once on first start, in kk, ru and en;
// a published version and its texts never change.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { describe, it } from 'node:test'
import { sql } from 'kysely'
import { describeEachDatabase } from '../../../test/database'
import { systemCtx } from '../../platform/context'
import { policyFile } from './profiles'
import { readPolicyFile, sha256Hex } from './policies.service'
import { privacyFixtures } from './test-fixtures'

const f = privacyFixtures()

describeEachDatabase('policy versions', (get) => {
  it('loads version 1 of a profile on first start, published and in force from then, exactly once', async () => {
    const db = get().db
    const first = await f.policies.ensureInitialPolicy(systemCtx(db, f.clock), f.talap)
    assert.equal(first.created, true)
    f.clock.advanceDays(1)
    const again = await f.policies.ensureInitialPolicy(systemCtx(db, f.clock), f.talap)
    assert.deepEqual(again, { created: false, versionId: first.versionId })
    const versions = await sql<{
      n: string
    }>`select count(*) as n from policy_versions where profile = 'talap'`.execute(db)
    assert.equal(Number(versions.rows[0]?.n), 1)
    const texts = await sql<{ n: string }>`select count(*) as n from policy_texts`.execute(db)
    assert.equal(Number(texts.rows[0]?.n), 3)
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('action', '=', 'policy.published')
      .execute()
    assert.deepEqual(audit, [{ action: 'policy.published', target_id: first.versionId }])
  })

  it('runs safely when two processes start at once', async () => {
    const db = get().db
    const results = await Promise.all([
      f.policies.ensureInitialPolicy(systemCtx(db, f.clock), f.bts),
      f.policies.ensureInitialPolicy(systemCtx(db, f.clock), f.bts),
    ])
    assert.deepEqual(results.map((r) => r.created).sort(), [false, true])
    assert.equal(results[0]?.versionId, results[1]?.versionId)
  })

  it('serves the text in force in each language, with the hash of exactly that text', async () => {
    const db = get().db
    for (const locale of ['kk', 'ru', 'en'] as const) {
      const policy = await f.policies.currentPolicy(db, 'talap', locale, f.clock.now())
      assert.ok(policy, locale)
      const file = readPolicyFile(policyFile(f.talap.policyDir, 1, locale))
      assert.equal(policy.number, 1)
      assert.equal(policy.markdown, file)
      assert.equal(policy.sha256, sha256Hex(file))
      assert.match(policy.html.toString(), /^<h2>/, 'headings start at h2: the page keeps its h1')
      assert.doesNotMatch(policy.html.toString(), /<h1/)
    }
    const kk = await f.policies.currentPolicy(db, 'talap', 'kk', f.clock.now())
    assert.ok(kk?.html.toString().includes('<li>2.1.4. Жеке сәйкестендіру нөмірі (ЖСН).</li>'))
  })

  it('has no policy in force before version 1 takes effect, nor for an unknown profile', async () => {
    const db = get().db
    assert.equal(await f.policies.currentPolicy(db, 'talap', 'kk', new Date('2020-01-01T00:00:00Z')), undefined)
    assert.equal(await f.policies.currentPolicy(db, 'nosuch', 'kk', f.clock.now()), undefined)
  })

  it('refuses to change or delete a published version or its texts (database triggers)', async () => {
    const db = get().db
    const v = await f.policies.currentPolicy(db, 'talap', 'ru', f.clock.now())
    assert.ok(v)
    const attempts = [
      sql`update policy_texts set markdown = 'changed', sha256 = encode(sha256(convert_to('changed', 'UTF8')), 'hex') where version_id = ${v.versionId}`,
      sql`delete from policy_texts where version_id = ${v.versionId}`,
      sql`update policy_versions set effective_at = effective_at + interval '1 day' where id = ${v.versionId}`,
      sql`delete from policy_versions where id = ${v.versionId}`,
      sql`truncate policy_texts cascade`,
    ]
    for (const attempt of attempts) await assert.rejects(attempt.execute(db), /published|not allowed|TRUNCATE/)
    const still = await f.policies.currentPolicy(db, 'talap', 'ru', f.clock.now())
    assert.equal(still?.sha256, v.sha256)
  })

  it('refuses a text whose stored hash is not the hash of its Markdown, and publishing an untranslated draft', async () => {
    const db = get().db
    const id = '00000000-0000-4000-8000-000000000002'
    await sql`insert into policy_versions (id, profile, number, status, created_at) values (${id}, 'talap', 2, 'draft', now())`.execute(
      db,
    )
    await assert.rejects(
      sql`insert into policy_texts (version_id, locale, markdown, sha256) values (${id}, 'kk', 'мәтін', ${'0'.repeat(64)})`.execute(
        db,
      ),
      /policy_texts_sha256_of_markdown/,
    )
    await sql`insert into policy_texts (version_id, locale, markdown, sha256) values (${id}, 'kk', 'мәтін', ${sha256Hex('мәтін')})`.execute(
      db,
    )
    await assert.rejects(
      sql`update policy_versions set status = 'published', published_at = now(), effective_at = now() where id = ${id}`.execute(
        db,
      ),
      /needs its kk, ru and en texts/,
    )
    await sql`delete from policy_versions where id = ${id}`.execute(db) // a draft may be discarded
  })
})

describe('policy version 1 texts', () => {
  const seeds = path.resolve(import.meta.dirname, '../../../../shared/seeds')
  const words = (text: string, markdown: boolean) =>
    (markdown ? text.replace(/^#+ /gm, '').replace(/^- /gm, '') : text).split(/\s+/).filter(Boolean)

  for (const [id, seed] of [
    ['talap', 'talap-lms-privacy-policy.kk.txt'],
    ['bts-education', 'bts-education-privacy-policy.kk.txt'],
  ] as const) {
    it(`${id}: the Kazakh text is the seed policy word for word (only heading and list markup added)`, (t) => {
      const seedFile = path.join(seeds, seed)
      if (!fs.existsSync(seedFile)) return t.skip(`seed ${seedFile} is not beside the repository`)
      const profile = id === 'talap' ? f.talap : f.bts
      const kk = readPolicyFile(policyFile(profile.policyDir, 1, 'kk'))
      assert.deepEqual(words(kk, true), words(fs.readFileSync(seedFile, 'utf8'), false))
    })

    it(`${id}: the Russian and English renderings have the same clauses as the original`, () => {
      const profile = id === 'talap' ? f.talap : f.bts
      const clauses = (locale: string) =>
        readPolicyFile(policyFile(profile.policyDir, 1, locale)).match(/^(?:- )?\d+\.\d+(?:\.\d+)?\./gm)
      assert.deepEqual(clauses('ru'), clauses('kk'))
      assert.deepEqual(clauses('en'), clauses('kk'))
    })
  }
})

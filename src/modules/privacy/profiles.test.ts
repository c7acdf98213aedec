// Operator profiles (product.md "Operator profiles"): both shipped profiles load; a bad profile fails naming the
// file and the JSON path; registration asks only what a purpose needs (T-3.2, T-2.1, B-2.2).
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { loadProfile, PROFILES_DIR, ProfileError, profileCategories, profileGaps, registrationFields } from './profiles'

const talap = loadProfile('talap')
const bts = loadProfile('bts-education')
const tmpDirs: string[] = []
after(() => tmpDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })))

/** Copies a shipped profile (with its policy texts) into a temporary folder, changed by `edit`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests break the JSON in arbitrary places
function brokenCopy(id: string, edit: (json: any) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oqu-profile-'))
  tmpDirs.push(dir)
  fs.cpSync(path.join(PROFILES_DIR, id), path.join(dir, id), { recursive: true })
  const json = JSON.parse(fs.readFileSync(path.join(PROFILES_DIR, `${id}.json`), 'utf8'))
  edit(json)
  fs.writeFileSync(path.join(dir, `${id}.json`), JSON.stringify(json))
  return dir
}

function refusal(id: string, dir: string): ProfileError {
  try {
    loadProfile(id, dir)
  } catch (err) {
    assert.ok(err instanceof ProfileError, String(err))
    return err
  }
  assert.fail('the profile loaded')
}

describe('shipped profiles', () => {
  it('both load, name their operator in kk, ru and en, and keep data in Kazakhstan (law Art. 12(2))', () => {
    for (const p of [talap, bts]) {
      assert.equal(p.dataResidency, 'KZ')
      for (const l of ['kk', 'ru', 'en'] as const) assert.ok(p.operator.legalName[l].length > 3)
      assert.match(p.complaints.authorisedBody.name.en, /Ministry of Artificial Intelligence and Digital Development/)
      assert.ok(fs.existsSync(path.join(p.policyDir, 'policy-v1.kk.md')))
    }
    assert.equal(talap.operator.email, 'info@talap.edu.kz') // T-6.3
    assert.equal(bts.operator.policyUrl, 'https://edunavigator.kz/privacy') // B-1.2
  })

  it('Talap asks surname, given name, optional patronymic, phone, e-mail and IIN (T-2.1)', () => {
    const fields = registrationFields(talap).map((f) => [f.name, f.required])
    assert.deepEqual(fields, [
      ['surname', true],
      ['givenName', true],
      ['patronymic', false],
      ['phone', true],
      ['email', true],
      ['iin', true],
    ])
  })

  it('a Talap install never asks for gender or geolocation (T-3.2)', () => {
    const categories = registrationFields(talap).map((f) => f.category)
    assert.ok(!categories.includes('demographic') && !categories.includes('location'))
    assert.ok(!profileCategories(talap).includes('demographic'), 'no Talap purpose needs gender or birth date')
    assert.ok(!profileCategories(talap).includes('location'), 'no Talap purpose needs geolocation')
  })

  it('BTS asks phone, e-mail, user name, and optionally gender, birth date, avatar — never an IIN (B-2.2)', () => {
    const fields = registrationFields(bts).map((f) => [f.name, f.required])
    assert.deepEqual(fields, [
      ['phone', true],
      ['email', true],
      ['userName', true],
      ['gender', false],
      ['birthDate', false],
      ['avatar', false],
    ])
    assert.ok(!profileCategories(bts).includes('government_id'))
  })

  it('says why each field is asked: the purposes that need its category', () => {
    const iin = registrationFields(talap).find((f) => f.name === 'iin')
    assert.deepEqual(iin?.purposes, ['identification'])
    assert.deepEqual(iin?.clauses, ['T-2.1.4'])
  })

  it('states the acceptance, retention, recipient and withdrawal rules of each policy', () => {
    assert.deepEqual([talap.notice.acceptance, talap.notice.noticeDays], ['by_use', 10]) // T-1.2, T-6.4
    assert.deepEqual([bts.notice.acceptance, bts.notice.impliedAfterDays], ['click_or_continued_use', 7]) // B-1.2
    assert.deepEqual([talap.retention.from, talap.retention.years], ['last_activity', 3]) // T-4.5
    assert.deepEqual([bts.retention.from, bts.retention.years], ['agreement_end', 3]) // B-2.4
    assert.equal(talap.recipients.thirdParties, 'law_only') // T-4.3
    assert.deepEqual(bts.recipients.neverTransferred, ['correspondence']) // B-4.3
    assert.deepEqual([talap.consentRecord.thirdPartyTransfer, talap.consentRecord.crossBorderTransfer], [false, false])
    assert.deepEqual([bts.consentRecord.thirdPartyTransfer, bts.consentRecord.crossBorderTransfer], [true, true])
    assert.equal(talap.withdrawal.how, 'written_notice') // T-5.1.3
    assert.equal(bts.withdrawal.effect, 'suspend_or_end_agreement') // B-2.5
  })

  it('lists what the seed policies do not state (BIN; BTS contacts)', () => {
    assert.ok(profileGaps(talap).some((g) => g.includes('BIN')))
    assert.ok(profileGaps(bts).some((g) => g.includes('address')))
  })
})

describe('a bad profile fails at start-up with a clear message', () => {
  it('names a missing profile file', () => {
    const err = refusal('nosuch', PROFILES_DIR)
    assert.match(err.message, /nosuch\.json/)
    assert.match(err.message, /no such file \(OQU_PROFILE=nosuch\)/)
  })

  it('names the file and the JSON path of a schema error', () => {
    const dir = brokenCopy('talap', (j) => (j.purposes[1].categories[0] = 'shoe_size'))
    const err = refusal('talap', dir)
    assert.ok(err.message.includes(path.join(dir, 'talap.json')), err.message)
    assert.match(err.message, /at \/purposes\/1\/categories\/0: must be equal to one of the allowed values/)
  })

  it('refuses unknown keys and a data residency outside Kazakhstan', () => {
    const dir = brokenCopy('talap', (j) => {
      j.dataResidency = 'DE'
      j.colour = 'blue'
    })
    const err = refusal('talap', dir)
    assert.match(err.message, /at \/dataResidency/)
    assert.match(err.message, /colour|additional/)
  })

  it('refuses a field no purpose needs (T-3.2 minimisation)', () => {
    const dir = brokenCopy('talap', (j) =>
      j.registration.push({ field: 'gender', required: false, clauses: ['T-2.1'] }),
    )
    assert.match(
      refusal('talap', dir).message,
      /at \/registration\/6\/field: field gender holds demographic, which no purpose/,
    )
  })

  it('refuses a required field that only a consent purpose needs', () => {
    const dir = brokenCopy('bts-education', (j) => {
      j.purposes[0].categories = j.purposes[0].categories.filter((c: string) => c !== 'demographic')
      j.registration[4].required = true
    })
    const err = refusal('bts-education', dir)
    assert.match(err.message, /at \/registration\/4\/required: .*only consent purposes need/)
  })

  it('refuses recipients that contradict the consent-record facts or the policy (T-4.3, B-4.3)', () => {
    const dir = brokenCopy('talap', (j) => (j.recipients.list[0].countries = ['KZ', 'RU']))
    assert.match(refusal('talap', dir).message, /at \/consentRecord\/crossBorderTransfer: must be true/)
    const dir2 = brokenCopy('bts-education', (j) => j.recipients.list[1].categories.push('correspondence'))
    assert.match(refusal('bts-education', dir2).message, /correspondence is never given to third parties/)
  })

  it('refuses a file whose id is not its name, invalid JSON, and a missing policy text', () => {
    assert.match(
      refusal(
        'talap',
        brokenCopy('talap', (j) => (j.id = 'other')),
      ).message,
      /at \/id: must be "talap"/,
    )
    const dir = brokenCopy('talap', () => {})
    fs.writeFileSync(path.join(dir, 'talap.json'), '{ "id": ')
    assert.match(refusal('talap', dir).message, /not valid JSON/)
    const dir2 = brokenCopy('talap', () => {})
    fs.rmSync(path.join(dir2, 'talap', 'policy-v1.ru.md'))
    assert.match(refusal('talap', dir2).message, /policy version 1 in ru is missing/)
  })
})

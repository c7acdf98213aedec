// T-2.1, T-5.2.1: registration fields checked and normalised, one problem per field, nothing echoed.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ageOn, checkBirthDate, checkRegistrationFields, type AskedField } from './registration-fields'

const NOW = new Date('2026-03-01T20:00:00Z') // 2 March in Almaty (UTC+5)
const ALL: AskedField[] = [
  { name: 'surname', required: true },
  { name: 'givenName', required: true },
  { name: 'patronymic', required: false },
  { name: 'userName', required: false },
  { name: 'phone', required: true },
  { name: 'email', required: true },
  { name: 'iin', required: false },
  { name: 'gender', required: false },
  { name: 'birthDate', required: false },
]

describe('registration fields', () => {
  it('normalises names in any script, the phone, the e-mail address and the IIN', () => {
    const { values, problems } = checkRegistrationFields(
      ALL,
      {
        surname: '  Сейітқали  ',
        givenName: 'Анна-Мария',
        patronymic: "O'Neil",
        userName: 'dana_k',
        phone: '8 701 234 56 78',
        email: ' Dana@Mail.KZ ',
        iin: '900515 301234',
        gender: 'female',
        birthDate: '2008-03-02',
      },
      NOW,
    )
    assert.deepEqual(problems, {})
    assert.deepEqual(values, {
      surname: 'Сейітқали',
      givenName: 'Анна-Мария',
      patronymic: "O'Neil",
      userName: 'dana_k',
      phone: '+77012345678',
      email: 'dana@mail.kz',
      iin: '900515301234',
      gender: 'female',
      birthDate: '2008-03-02',
    })
  })

  it('reports missing required fields and ignores missing optional ones and fields not asked', () => {
    const { values, problems } = checkRegistrationFields(ALL.slice(0, 3), { givenName: ' ', iin: '123' }, NOW)
    assert.deepEqual(problems, {
      surname: { code: 'accounts.field_required' },
      givenName: { code: 'accounts.field_required' },
    })
    assert.deepEqual(values, {})
  })

  it('refuses what is not a name, a user name, a gender or a possible birth date', () => {
    const { problems } = checkRegistrationFields(
      ALL,
      {
        surname: 'R2-D2',
        givenName: '<script>',
        userName: 'ab',
        phone: '+7 916 123 45 67',
        email: 'x',
        iin: '900515301235',
        gender: 'x',
        birthDate: '2026-03-03',
      },
      NOW,
    )
    assert.deepEqual(Object.fromEntries(Object.entries(problems).map(([k, v]) => [k, v.code])), {
      surname: 'accounts.name_invalid',
      givenName: 'accounts.name_invalid',
      userName: 'accounts.user_name_invalid',
      phone: 'accounts.phone_not_kz',
      email: 'accounts.email_invalid',
      iin: 'accounts.iin_checksum',
      gender: 'accounts.gender_invalid',
      birthDate: 'accounts.birth_date_invalid',
    })
  })

  it('takes birth dates up to today in Almaty, and computes ages on the Almaty date', () => {
    assert.equal(checkBirthDate('2026-03-02', NOW), '2026-03-02')
    for (const bad of ['2026-03-03', '1899-12-31', '2023-02-29', '2008-3-2', 'yesterday'])
      assert.throws(() => checkBirthDate(bad, NOW), /Not a possible birth date/, bad)
    assert.equal(ageOn('2008-03-02', NOW), 18, 'eighteen today in Almaty, though still 1 March in UTC')
    assert.equal(ageOn('2008-03-03', NOW), 17)
  })
})

// Issue 3: every template has its texts in kk, ru and en with exactly its parameters; SMS stay one segment; HTML is safe.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { IntlMessageFormat } from 'intl-messageformat'
import { LOCALES } from '../../platform/context'
import { loadLocaleFiles } from '../../platform/i18n/i18n'
import {
  checkParams,
  emailHtml,
  NOTIFICATION_TEMPLATES,
  renderMessage,
  templateSpec,
  type TemplateSpec,
} from './notifications.templates'
import { i18n } from './test-fixtures'

// A single SMS segment: 70 characters in UCS-2 (any Cyrillic), 160 in the GSM 7-bit alphabet.
const GSM7 = /^[A-Za-z0-9 @£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&'()*+,\-./:;<=>?¡ÄÖÑÜ§¿äöñüà\n\r]*$/
const segmentLimit = (text: string) => (GSM7.test(text) ? 160 : 70)

const sources = loadLocaleFiles(fileURLToPath(new URL('../../../locales', import.meta.url)))

const sample: Record<string, string> = {
  link: 'https://oqu.example/verify?token=abcdefghijklmnopqrstuvwxyz012345',
  code: '482913',
}

function argumentsOf(source: string): string[] {
  const names = new Set<string>()
  // Top-level arguments (type 1) are all these templates use: no plurals or selects.
  for (const n of new IntlMessageFormat(source, 'en').getAst() as { type: number; value?: string }[]) {
    if (n.type === 1 && n.value) names.add(n.value)
  }
  return [...names].sort()
}

describe('notification templates', () => {
  for (const [template, spec] of Object.entries(NOTIFICATION_TEMPLATES) as [string, TemplateSpec][]) {
    it(`${template}: texts in every language, using exactly its parameters`, () => {
      const params = Object.keys(spec.params).sort()
      const parts = spec.channels.flatMap((c) => (c === 'email' ? ['subject', 'body'] : ['sms']))
      for (const locale of LOCALES) {
        const used = new Set<string>()
        for (const part of parts) {
          const source = sources[locale][`notifications.${template}.${part}`]
          assert.ok(source, `${locale}: missing notifications.${template}.${part}`)
          for (const name of argumentsOf(source)) used.add(name)
        }
        assert.deepEqual([...used].sort(), params, `${locale}: ${template} uses {${params.join(', ')}}`)
      }
    })
  }

  it('verify_phone fits one SMS segment in every language', () => {
    for (const locale of LOCALES) {
      const { text } = renderMessage(i18n, 'accounts.verify_phone', 'sms', locale, { code: sample.code! })
      assert.ok(text.length <= segmentLimit(text), `${locale}: ${text.length} characters: ${text}`)
      assert.ok(text.includes('482913'))
    }
  })

  it('e-mails have a subject and the link on a line of its own', () => {
    for (const template of ['accounts.verify_email', 'accounts.password_reset']) {
      for (const locale of LOCALES) {
        const m = renderMessage(i18n, template, 'email', locale, { link: sample.link! })
        assert.ok(m.subject && m.subject.length < 80)
        assert.ok(m.text.includes(`\n\n${sample.link}\n\n`), `${locale} ${template}`)
      }
    }
  })

  it('builds the HTML part from the text: escaped, links clickable, the lone link a button', () => {
    const out = emailHtml(
      {
        subject: 'Тест <b>',
        text: 'Сәлем <script>alert(1)</script>\nсілтеме: https://a.example/x?y=1&z=2\n\nhttps://a.example/go',
      },
      'kk',
    )
    assert.match(out, /^<!doctype html>\n<html lang="kk">/)
    assert.ok(out.includes('<title>Тест &lt;b&gt;</title>'))
    assert.ok(out.includes('Сәлем &lt;script&gt;alert(1)&lt;/script&gt;<br>'))
    assert.ok(out.includes('<a href="https://a.example/x?y=1&amp;z=2" style="color:#0b3a57">'))
    assert.match(
      out,
      /<a href="https:\/\/a\.example\/go" style="display:inline-block;[^"]*">https:\/\/a\.example\/go<\/a>/,
    )
    assert.ok(!out.includes('<script>'))
  })

  it('checks channels and parameter shapes', () => {
    assert.throws(() => templateSpec('accounts.verify_phone', 'email'), /not sent by email/)
    const spec = templateSpec('accounts.verify_phone', 'sms')
    assert.doesNotThrow(() => checkParams('accounts.verify_phone', spec, { code: 'AB12CD' }))
    for (const code of ['123', '12345678901234', '12 345', '١٢٣٤٥٦']) {
      assert.throws(() => checkParams('accounts.verify_phone', spec, { code }), /is not a code/)
    }
    const link = templateSpec('accounts.verify_email', 'email')
    for (const bad of ['ftp://x.example', 'https://x.example/a b', 'https://x.example/"><script>']) {
      assert.throws(() => checkParams('accounts.verify_email', link, { link: bad }), /is not a link/)
    }
  })
})

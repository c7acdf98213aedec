// The policy renderer is safe by construction: a policy text (later drafted by a DPO) can never inject HTML.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { renderMarkdown } from './markdown'

const render = (md: string, headingOffset = 0) => renderMarkdown(md, { headingOffset }).toString()

describe('renderMarkdown', () => {
  it('renders headings, paragraphs and lists the way the policies use them', () => {
    const out = render(
      '# Саясат\n\n## 1. Жалпы\n\n1.1. Бірінші.\nжалғасы\n\n- 2.1.1. Тегі.\n- 2.1.2. Телефон.\n\n3. Үш\n4. Төрт',
    )
    assert.equal(
      out,
      [
        '<h1>Саясат</h1>',
        '<h2>1. Жалпы</h2>',
        '<p>1.1. Бірінші.\nжалғасы</p>',
        '<ul>\n<li>2.1.1. Тегі.</li>\n<li>2.1.2. Телефон.</li>\n</ul>',
        '<ol start="3">\n<li>Үш</li>\n<li>Төрт</li>\n</ol>',
      ].join('\n'),
    )
  })

  it('shifts headings for a page that has its own h1', () => {
    assert.equal(render('# A\n\n###### F', 1), '<h2>A</h2>\n<h6>F</h6>')
  })

  it('renders emphasis, code, autolinks and safe links', () => {
    assert.equal(
      render('*Перевод*, **важно**, `x<y`, <https://edunavigator.kz/privacy>, [сайт](https://lms.talap.edu.kz)'),
      '<p><em>Перевод</em>, <strong>важно</strong>, <code>x&lt;y</code>, ' +
        '<a href="https://edunavigator.kz/privacy" rel="noopener noreferrer">https://edunavigator.kz/privacy</a>, ' +
        '<a href="https://lms.talap.edu.kz" rel="noopener noreferrer">сайт</a></p>',
    )
  })

  it('reads _underscore_ emphasis (as Prettier writes it) but not underscores inside words', () => {
    assert.equal(render('_Перевод_ and snake_case_name'), '<p><em>Перевод</em> and snake_case_name</p>')
  })

  it('never lets raw HTML, scripts or dangerous links through', () => {
    const attacks = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '[click](javascript:alert(1))',
      '[click](data:text/html;base64,PHNjcmlwdD4=)',
      '<javascript:alert(1)>',
      '[x](https://a.kz/"onmouseover="alert(1))',
      '# <iframe src="https://evil.example">',
      '- <a href="javascript:alert(1)">x</a>',
      '**<svg onload=alert(1)>**',
      '`</code><script>`',
    ]
    for (const attack of attacks) {
      const out = render(attack)
      assert.doesNotMatch(out, /<(script|img|iframe|svg)/i, attack)
      assert.doesNotMatch(out, /href="(javascript|data):/i, attack)
      assert.doesNotMatch(out, /<a [^>]*on\w+=/i, attack)
      assert.doesNotMatch(out, /"on\w+="/i, attack)
    }
  })

  it('escapes quotes and ampersands everywhere', () => {
    assert.equal(render('«Talap» & "BTS" \'x\''), '<p>«Talap» &amp; &quot;BTS&quot; &#39;x&#39;</p>')
  })
})

// The learner's views alone: video addresses become frames only for allow-listed players (else a link, or nothing
// for a non-https address), and the achievements section renders what the achievements module supplies, escaped,
// with empty states when it supplies nothing (issue 5, T-4.5).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createI18n, loadLocaleFiles } from '../../platform/i18n/i18n'
import { LOCALES_DIR } from '../../services'
import { renderMyLearning, videoEmbed } from './learn.views'

const i18n = createI18n(loadLocaleFiles(LOCALES_DIR))
const onePage = { page: 1, pageCount: 1, total: 0 }
const empty = { current: [], completed: [], pages: { current: onePage, completed: onePage } }
const history = { enabled: false, queries: [], csrf: 't', cleared: false }

describe('learn views', () => {
  it('frames YouTube (as youtube-nocookie) and Vimeo only', () => {
    const yt = { kind: 'iframe', src: 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ' }
    assert.deepEqual(videoEmbed('https://www.youtube.com/watch?v=dQw4w9WgXcQ'), yt)
    assert.deepEqual(videoEmbed('https://youtu.be/dQw4w9WgXcQ'), yt)
    assert.deepEqual(videoEmbed('https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ'), yt)
    assert.deepEqual(videoEmbed('https://vimeo.com/76979871'), {
      kind: 'iframe',
      src: 'https://player.vimeo.com/video/76979871',
    })
    assert.deepEqual(videoEmbed('https://example.kz/video.mp4'), { kind: 'link', href: 'https://example.kz/video.mp4' })
    assert.deepEqual(videoEmbed('https://www.youtube.com/watch?v=%22%3E%3Cscript%3E'), {
      kind: 'link',
      href: 'https://www.youtube.com/watch?v=%22%3E%3Cscript%3E',
    })
    assert.deepEqual(videoEmbed('javascript:alert(1)'), { kind: 'none' })
    assert.deepEqual(videoEmbed('http://youtu.be/dQw4w9WgXcQ'), { kind: 'none' })
  })

  it('shows empty states without an achievements source, and the supplied badges and certificates escaped', () => {
    const none = renderMyLearning(i18n, 'kk', empty, null, history).value
    assert.match(none, /Сертификаттар әлі жоқ/)
    assert.match(none, /Белгілер әлі жоқ/)
    const view = {
      badges: [
        {
          code: 'first-lesson',
          title: 'Бірінші <сабақ>',
          description: 'Алғашқы қадам',
          awardedAt: new Date('2026-03-01T10:00:00Z'),
        },
      ],
      certificates: [
        {
          code: 'OQU-7K2M-9QX4',
          courseTitle: 'Основы цифровой грамотности',
          issuedAt: new Date('2026-03-02T10:00:00Z'),
          revoked: true,
          pdfUrl: '/certificates/OQU-7K2M-9QX4.pdf',
          verifyUrl: '/verify/OQU-7K2M-9QX4',
        },
      ],
    }
    const body = renderMyLearning(i18n, 'ru', empty, view, history).value
    assert.match(body, /Бірінші &lt;сабақ&gt;/)
    assert.match(body, /<code>OQU-7K2M-9QX4<\/code> · <span class="revoked">отозван<\/span>/)
    assert.match(body, /href="\/certificates\/OQU-7K2M-9QX4\.pdf">Скачать PDF/)
    assert.match(body, /href="\/verify\/OQU-7K2M-9QX4">Страница проверки/)
    assert.match(body, /Вы пока не записаны ни на один курс/)
  })
})

// Issue 3: the developer outbox shows sent messages (decrypted, with a warning) when enabled, and does not exist otherwise.
import assert from 'node:assert/strict'
import { after, beforeEach, it } from 'node:test'
import Fastify from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { describeEachDatabase } from '../../../test/database'
import { installErrorHandler } from '../../platform/http/error-handler'
import type { HttpApp } from '../../platform/http/http-app'
import { registerRequestContext } from '../../platform/http/request-context'
import { createViews } from '../../platform/views/layout'
import { OUTBOX_PAGE_SIZE, registerDevOutboxPages } from './notifications.pages'
import { harness, i18n, newSubject, reset, type Harness } from './test-fixtures'

const views = createViews({ i18n })

async function outboxApp(h: Harness, config: { devOutbox: boolean; env: 'development' | 'production' | 'test' }) {
  const app = Fastify().withTypeProvider<TypeBoxTypeProvider>() as unknown as HttpApp
  registerRequestContext(app, { db: h.db, clock: h.clock })
  installErrorHandler(app, i18n, (req, e) => views.errorPage(req, e))
  registerDevOutboxPages(app, { notifications: h.notifications, views, i18n, config })
  await app.ready()
  return app
}

describeEachDatabase(
  'developer outbox pages',
  (get) => {
    const apps: HttpApp[] = []
    beforeEach(() => reset(get().db))
    after(() => Promise.all(apps.map((a) => a.close())))

    const open = async (h: Harness, config = { devOutbox: true, env: 'development' as const }) => {
      const app = await outboxApp(h, config)
      apps.push(app)
      return app
    }

    const sendCode = (h: Harness, code: string) =>
      h.notifications.send(h.ctx(), {
        subjectId: newSubject(),
        channel: 'sms',
        to: '+77011234567',
        template: 'accounts.verify_phone',
        locale: 'ru',
        params: { code },
      })

    it('does not exist when disabled, nor in production even if asked', async () => {
      const h = harness(get().db)
      const { id } = await sendCode(h, '123456')
      for (const config of [
        { devOutbox: false, env: 'development' as const },
        { devOutbox: true, env: 'production' as const },
      ]) {
        const app = await open(h, config as never)
        for (const url of ['/dev/outbox', `/dev/outbox/${id}`]) {
          const res = await app.inject({ url, headers: { 'accept-language': 'en' } })
          assert.equal(res.statusCode, 404, `${url} with ${JSON.stringify(config)}`)
          assert.ok(!res.body.includes('123456'))
        }
      }
    })

    it('lists messages newest first, decrypted, under a warning, never cached', async () => {
      const h = harness(get().db)
      await sendCode(h, '111111')
      h.clock.advance(60_000)
      await h.notifications.send(h.ctx(), {
        subjectId: newSubject(),
        channel: 'email',
        to: 'aigerim@example.kz',
        template: 'accounts.verify_email',
        locale: 'kk',
        params: { link: 'https://oqu.example/verify?t=abc&x=1' },
      })
      const app = await open(h)
      const res = await app.inject({ url: '/dev/outbox', headers: { 'accept-language': 'en' } })
      assert.equal(res.statusCode, 200)
      assert.equal(res.headers['cache-control'], 'no-store')
      assert.equal(res.headers['referrer-policy'], 'no-referrer')
      assert.match(res.body, /<html lang="en"/)
      assert.match(res.body, /<h1>Developer outbox<\/h1>/)
      assert.match(res.body, /role="note"><p><strong>⚠ Developer tool: this page shows messages decrypted/)
      assert.match(res.body, /<h2 id="outbox-caption">Messages 1–2 of 2<\/h2>/)
      assert.match(res.body, /<ol class="outbox-list" start="1" aria-labelledby="outbox-caption">/)
      assert.match(
        res.body,
        /<small><time datetime="[^"]+">[^<]+<\/time> · E-mail · aigerim@example\.kz · Queued<\/small>/,
      )
      const email = res.body.indexOf('aigerim@example.kz')
      const sms = res.body.indexOf('+77011234567')
      assert.ok(email > 0 && sms > email, 'newest first')
      assert.match(res.body, /lang="kk">Электрондық пошта мекенжайыңызды растаңыз<\/a>/)
      assert.match(res.body, /lang="ru">Код подтверждения Oqu: 111111\. Никому его не сообщайте\.<\/a>/)
    })

    it('speaks Kazakh and Russian', async () => {
      const h = harness(get().db)
      await sendCode(h, '222222')
      const app = await open(h)
      const kk = await app.inject({ url: '/dev/outbox', headers: { 'accept-language': 'kk' } })
      assert.match(kk.body, /<h1>Әзірлеушінің шығыс хаттары<\/h1>/)
      assert.match(kk.body, /Жіберілді|Кезекте/)
      const ru = await app.inject({ url: '/dev/outbox', headers: { 'accept-language': 'ru' } })
      assert.match(ru.body, /<h1>Исходящие сообщения для разработчика<\/h1>/)
      assert.match(ru.body, /<h2 id="outbox-caption">Сообщения 1–1 из 1<\/h2>/)
    })

    it('pages through many messages', async () => {
      const h = harness(get().db)
      for (let i = 0; i < OUTBOX_PAGE_SIZE + 3; i++) {
        await sendCode(h, String(100000 + i))
        h.clock.advance(1000)
      }
      const app = await open(h)
      const first = await app.inject({ url: '/dev/outbox', headers: { 'accept-language': 'en' } })
      assert.match(first.body, /Messages 1–20 of 23/)
      assert.ok(first.body.includes('Oqu: 100022.') && first.body.includes('Oqu: 100003.'))
      assert.ok(!first.body.includes('Oqu: 100002.'))
      assert.match(first.body, /<a rel="next" href="\/dev\/outbox\?page=2">Older<\/a>/)
      assert.match(first.body, /aria-current="page">Page 1 of 2</)
      const second = await app.inject({ url: '/dev/outbox?page=2', headers: { 'accept-language': 'en' } })
      assert.match(second.body, /Messages 21–23 of 23/)
      assert.match(second.body, /<a rel="prev" href="\/dev\/outbox\?page=1">Newer<\/a>/)
      assert.ok(second.body.includes('Oqu: 100002.') && second.body.includes('Oqu: 100000.'))
      assert.equal((await app.inject({ url: '/dev/outbox?page=0' })).statusCode, 400)
    })

    it('shows one message with its link clickable; unknown ids are 404', async () => {
      const h = harness(get().db)
      const subjectId = newSubject()
      const link = 'https://oqu.example/reset?token=t0k&lang=kk'
      const { id } = await h.notifications.send(h.ctx(), {
        subjectId,
        channel: 'email',
        to: 'aigerim@example.kz',
        template: 'accounts.password_reset',
        locale: 'ru',
        params: { link },
      })
      const app = await open(h)
      const res = await app.inject({ url: `/dev/outbox/${id}`, headers: { 'accept-language': 'en' } })
      assert.equal(res.statusCode, 200)
      assert.equal(res.headers['cache-control'], 'no-store')
      assert.match(res.body, /<h1 lang="ru">Восстановление пароля<\/h1>/)
      assert.ok(res.body.includes('<a href="https://oqu.example/reset?token=t0k&amp;lang=kk">'))
      assert.match(res.body, /<div class="outbox-text" lang="ru"><p>Здравствуйте!<\/p><p>Для вашей/)
      assert.match(res.body, /<code>accounts\.password_reset<\/code>/)
      assert.ok(res.body.includes(subjectId))
      assert.equal((await app.inject({ url: '/dev/outbox/00000000-0000-4000-8000-000000000000' })).statusCode, 404)
      assert.equal((await app.inject({ url: '/dev/outbox/not-a-uuid' })).statusCode, 404)
      await h.crypto.destroySubjectKey(h.ctx(), subjectId)
      const erased = await app.inject({ url: `/dev/outbox/${id}`, headers: { 'accept-language': 'en' } })
      assert.match(erased.body, /Unreadable: the person’s data were erased/)
      assert.ok(!erased.body.includes('t0k') && !erased.body.includes('aigerim'))
    })
  },
  { pages: true },
)

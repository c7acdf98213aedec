// B-2.2 (avatar, BTS profile), issue 3 "Avatar upload: re-encoded, EXIF and GPS stripped, size and type limits":
// uploads checked by their bytes, re-encoded to WebP without metadata, stored encrypted, served privately to
// their owner only; oversized, wrong-type and corrupt files get a localized message and change nothing.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import sharp from 'sharp'
import { createTestApp, type TestApp } from '../../../test/app'
import { pageDatabaseKinds } from '../../../test/database'
import { AvatarRejectedError } from './accounts.errors'
import { AVATAR_MAX_BYTES, processAvatar, sniffImageType } from './avatar-images'
import { client, createPerson, type Client } from './test-fixtures'

/** A JPEG from a phone camera: EXIF with GPS position, a description and an ICC profile. */
async function cameraJpeg(width = 1200, height = 900): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#2d6cdf' } })
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { ImageDescription: 'Home of the pupil', Make: 'PhoneMaker', Model: 'Camera 12' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '43/1 14/1 51/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '76/1 53/1 46/1',
      },
    })
    .withIccProfile('p3')
    .toBuffer()
}

/** A multipart/form-data body with the CSRF field and one file. */
function multipartBody(csrf: string, file: { bytes: Buffer; filename: string; type: string }) {
  const boundary = `----oqu${Math.random().toString(16).slice(2)}`
  const head = (extra: string) => Buffer.from(`--${boundary}\r\n${extra}\r\n\r\n`)
  const payload = Buffer.concat([
    head('Content-Disposition: form-data; name="_csrf"'),
    Buffer.from(csrf),
    Buffer.from('\r\n'),
    head(`Content-Disposition: form-data; name="avatar"; filename="${file.filename}"\r\nContent-Type: ${file.type}`),
    file.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` }
}

describe('avatar images', () => {
  it('strips EXIF, GPS, XMP and ICC and bounds the size (the input provably had them)', async () => {
    const input = await cameraJpeg()
    const before = await sharp(input).metadata()
    assert.ok(before.exif && before.icc, 'the test picture carries EXIF and ICC')
    assert.ok(input.includes('Home of the pupil'))
    const out = await processAvatar(input)
    const meta = await sharp(out.webp).metadata()
    assert.equal(meta.format, 'webp')
    assert.deepEqual([meta.width, meta.height, out.width, out.height], [256, 256, 256, 256])
    assert.equal(meta.exif, undefined)
    assert.equal(meta.icc, undefined)
    assert.equal(meta.xmp, undefined)
    for (const needle of ['Exif', 'GPS', 'Home of the pupil', 'PhoneMaker', 'ICCP'])
      assert.ok(!out.webp.includes(needle), `no ${needle} in the output`)
  })

  it('decides the type by the bytes: JPEG, PNG and WebP only; a mislabelled or broken file is refused', async () => {
    const png = await sharp({ create: { width: 40, height: 30, channels: 4, background: '#fff0' } })
      .png()
      .toBuffer()
    const webp = await sharp(png).webp().toBuffer()
    const gif = await sharp(png).gif().toBuffer()
    assert.equal(sniffImageType(png), 'png')
    assert.equal(sniffImageType(webp), 'webp')
    assert.equal(sniffImageType(await cameraJpeg(10, 10)), 'jpeg')
    assert.equal(sniffImageType(gif), undefined)
    const small = await processAvatar(png)
    assert.deepEqual([small.width, small.height], [40, 30], 'a small picture is never enlarged')
    const problem = (bytes: Buffer, truncated = false) =>
      processAvatar(bytes, truncated).then(
        () => 'accepted',
        (err: unknown) => (err instanceof AvatarRejectedError ? err.problem : String(err)),
      )
    assert.equal(await problem(gif), 'type')
    assert.equal(await problem(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), 'type')
    assert.equal(await problem(Buffer.from('%PDF-1.7 not a picture')), 'type')
    assert.equal(await problem(Buffer.concat([png.subarray(0, 60), Buffer.alloc(200, 7)])), 'corrupt')
    assert.equal(await problem(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])), 'corrupt')
    assert.equal(await problem(Buffer.alloc(0)), 'missing')
    assert.equal(await problem(png, true), 'too_large')
    assert.equal(await problem(Buffer.alloc(AVATAR_MAX_BYTES + 1)), 'too_large')
  })
})

for (const kind of pageDatabaseKinds()) {
  describe(`avatar pages (BTS) [${kind}]`, () => {
    let t: TestApp
    before(async () => {
      t = await createTestApp({ kind, env: { OQU_RATE_LIMIT: '100000', OQU_PROFILE: 'bts-education' } })
    })
    after(async () => t?.close())

    const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)![1]!
    async function upload(browser: Client, bytes: Buffer, filename = 'me.jpg', type = 'image/jpeg') {
      const page = await browser.get('/account')
      const { payload, contentType } = multipartBody(csrfOf(page.body), { bytes, filename, type })
      const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
      return t.app.inject({
        method: 'POST',
        url: '/account/avatar',
        remoteAddress: '203.0.113.10',
        headers: { cookie, 'content-type': contentType, 'accept-language': 'ru' },
        payload,
      })
    }
    const stored = async (userId: string) =>
      (
        await sql<{
          image_ciphertext: string
        }>`select image_ciphertext from user_avatars where user_id = ${userId}`.execute(t.database.db)
      ).rows[0]?.image_ciphertext

    async function signedIn() {
      const person = await createPerson(t, ['learner'])
      const browser = client(t, { locale: 'ru' })
      await browser.signIn(person.email, person.password)
      return { person, browser }
    }

    it('uploads, serves privately to the owner only, replaces and removes the picture', async () => {
      const { person, browser } = await signedIn()
      const other = await signedIn()
      const profile = await browser.get('/account')
      assert.match(profile.body, /enctype="multipart\/form-data"/)
      assert.match(profile.body, /Изображения нет\./)
      const res = await upload(browser, await cameraJpeg())
      assert.equal(res.statusCode, 303)
      assert.equal(res.headers.location, '/account?done=avatar_saved')
      const ciphertext = await stored(person.id)
      assert.match(ciphertext!, /^v1\./, 'stored encrypted')
      const page = await browser.get('/account?done=avatar_saved')
      assert.match(page.body, /Изображение сохранено/)
      assert.match(page.body, /<img class="avatar-image" src="\/account\/avatar\?v=\d+"/)

      const image = await browser.get('/account/avatar')
      assert.equal(image.statusCode, 200)
      assert.equal(image.headers['content-type'], 'image/webp')
      assert.equal(image.headers['cache-control'], 'private, max-age=300')
      const meta = await sharp(image.rawPayload).metadata()
      assert.deepEqual([meta.format, meta.width, meta.exif], ['webp', 256, undefined])
      // Another person (same role) gets their own (none), never this one; an anonymous visitor is sent to sign in.
      assert.equal((await other.browser.get('/account/avatar')).statusCode, 404)
      assert.equal((await client(t).get('/account/avatar')).statusCode, 303)
      await other.browser.get('/account')
      assert.equal((await other.browser.post('/account/avatar/delete')).statusCode, 303)
      assert.equal(await stored(person.id), ciphertext, "the other person's delete removes nothing of mine")

      const png = await sharp({ create: { width: 300, height: 500, channels: 3, background: '#ff0000' } })
        .png()
        .toBuffer()
      assert.equal((await upload(browser, png, 'new.png', 'image/png')).statusCode, 303)
      // A real photo of a few megabytes (under the 5 MB limit) goes through too.
      const noise = await sharp(randomBytes(1000 * 1000 * 3), { raw: { width: 1000, height: 1000, channels: 3 } })
        .png()
        .toBuffer()
      assert.ok(noise.length > 2 * 1024 * 1024 && noise.length < AVATAR_MAX_BYTES)
      assert.equal((await upload(browser, noise, 'big.png', 'image/png')).statusCode, 303)
      assert.notEqual(await stored(person.id), ciphertext, 'replaced')
      await browser.get('/account')
      assert.equal((await browser.post('/account/avatar/delete')).headers.location, '/account?done=avatar_removed')
      assert.equal(await stored(person.id), undefined)
      assert.equal((await browser.get('/account/avatar')).statusCode, 404)
      const actions = (
        await sql<{
          action: string
        }>`select action from audit_log where subject_id = ${person.id} and action like 'account.avatar%' order by seq`.execute(
          t.database.db,
        )
      ).rows.map((r) => r.action)
      assert.deepEqual(actions, [
        'account.avatar_set',
        'account.avatar_set',
        'account.avatar_set',
        'account.avatar_removed',
      ])
    })

    it('refuses oversized, wrong-type (whatever its name) and corrupt files with a message, changing nothing', async () => {
      const { person, browser } = await signedIn()
      assert.equal((await upload(browser, await cameraJpeg())).statusCode, 303)
      const kept = await stored(person.id)
      const big = Buffer.concat([await cameraJpeg(64, 64), Buffer.alloc(AVATAR_MAX_BYTES, 1)])
      const tooLarge = await upload(browser, big)
      assert.equal(tooLarge.statusCode, 413)
      assert.match(tooLarge.body, /Изображение слишком большое: не более 5 МБ/)
      const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
        .gif()
        .toBuffer()
      const wrong = await upload(browser, gif, 'photo.jpg', 'image/jpeg')
      assert.equal(wrong.statusCode, 400)
      assert.match(wrong.body, /Принимаются только изображения JPEG, PNG или WebP/)
      const script = await upload(browser, Buffer.from('<script>alert(1)</script>'), 'x.png', 'image/png')
      assert.equal(script.statusCode, 400)
      const broken = await upload(browser, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 9]))
      assert.equal(broken.statusCode, 400)
      assert.match(broken.body, /Этот файл не удаётся прочитать как изображение/)
      assert.match(broken.body, /aria-invalid="true"/)
      assert.equal(await stored(person.id), kept)
    })

    it('is not offered where the profile does not collect an avatar (Talap)', async () => {
      const talap = await createTestApp({ kind, env: { OQU_RATE_LIMIT: '100000' } })
      try {
        const person = await createPerson(talap, ['learner'])
        const browser = client(talap)
        await browser.signIn(person.email, person.password)
        assert.doesNotMatch((await browser.get('/account')).body, /multipart/)
        assert.equal((await browser.get('/account/avatar')).statusCode, 404)
      } finally {
        await talap.close()
      }
    })
  })
}

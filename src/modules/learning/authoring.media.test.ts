// Uploaded course files are judged by their bytes, never by the name or type the browser sent (issue 5:
// "downloadable attachments (type and size limits)"); names are made safe; covers lose their metadata.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import sharp from 'sharp'
import { FileRejectedError } from './authoring.errors'
import {
  attachmentName,
  contentDisposition,
  encodeCover,
  sniffAttachment,
  sniffImage,
  zipEntryNames,
} from './authoring.media'

/** A ZIP archive of empty stored entries (what an office document is at heart). */
function storedZip(names: string[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const name of names) {
    const n = Buffer.from(name)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(n.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(n.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, n)
    centrals.push(central, n)
    offset += 30 + n.length
  }
  const cd = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(names.length, 8)
  end.writeUInt16LE(names.length, 10)
  end.writeUInt32LE(cd.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, cd, end])
}

describe('course files', () => {
  it('tells PDF, DOCX, PPTX, XLSX, ZIP, PNG and JPEG apart by their bytes, and refuses anything else', async () => {
    const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } })
      .png()
      .toBuffer()
    const jpeg = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } })
      .jpeg()
      .toBuffer()
    const office = (dir: string) => storedZip(['[Content_Types].xml', '_rels/.rels', `${dir}/document.xml`])
    const cases: [Buffer, string | undefined][] = [
      [Buffer.from('%PDF-1.7\n%âãÏÓ\n'), 'pdf'],
      [office('word'), 'docx'],
      [office('ppt'), 'pptx'],
      [office('xl'), 'xlsx'],
      [storedZip(['notes.txt', 'word/x.xml']), 'zip'],
      [png, 'png'],
      [jpeg, 'jpg'],
      [Buffer.from('<html><script>alert(1)</script>'), undefined],
      [Buffer.from('MZ\x90\x00 an executable'), undefined],
      [Buffer.from('%PD'), undefined],
      [Buffer.alloc(0), undefined],
    ]
    for (const [bytes, ext] of cases) assert.equal(sniffAttachment(bytes)?.ext, ext, bytes.subarray(0, 12).toString())
    assert.deepEqual(zipEntryNames(office('word')), ['[Content_Types].xml', '_rels/.rels', 'word/document.xml'])
    assert.deepEqual(zipEntryNames(Buffer.from('PK\x03\x04 truncated')), [])
    assert.equal(sniffImage(Buffer.from('RIFF\0\0\0\0WEBPVP8 ')), 'image/webp')
  })

  it('names a download after what it is, without paths, quotes or control characters', () => {
    const pdf = { contentType: 'application/pdf', ext: 'pdf' }
    assert.equal(attachmentName('C:\\Users\\me\\Жоспар "1".exe', pdf), 'Жоспар 1.pdf')
    assert.equal(attachmentName('../../etc/passwd', pdf), 'passwd.pdf')
    assert.equal(attachmentName('line\nbreak.pdf', pdf), 'linebreak.pdf')
    assert.equal(attachmentName(undefined, pdf), 'file.pdf')
    assert.equal(
      contentDisposition('Жоспар 1.pdf'),
      `attachment; filename="______ 1.pdf"; filename*=UTF-8''%D0%96%D0%BE%D1%81%D0%BF%D0%B0%D1%80%201.pdf`,
    )
  })

  it('re-encodes a cover to a 1200×675 WebP without EXIF; refuses other types and files over 5 MB', async () => {
    const photo = await sharp({ create: { width: 900, height: 1600, channels: 3, background: '#a53' } })
      .png()
      .withExif({ IFD0: { Artist: 'Secret Person' } })
      .toBuffer()
    const meta = await sharp(await encodeCover(photo)).metadata()
    assert.deepEqual([meta.format, meta.width, meta.height, meta.exif], ['webp', 1200, 675, undefined])
    const refused = async (bytes: Buffer) => {
      try {
        await encodeCover(bytes)
        return 'accepted'
      } catch (e) {
        assert.ok(e instanceof FileRejectedError)
        return e.reason
      }
    }
    assert.equal(await refused(Buffer.from('%PDF-1.7')), 'type')
    assert.equal(await refused(Buffer.alloc(0)), 'missing')
    assert.equal(await refused(Buffer.concat([photo.subarray(0, 8), Buffer.alloc(5 * 1024 * 1024)])), 'size')
    assert.equal(await refused(Buffer.concat([photo.subarray(0, 8), Buffer.from('garbage')])), 'unreadable')
  })
})

/**
 * A local HTTP server that speaks Mobizon's SMS API (the network edge of the
 * SMS adapter): records each request (path, query, form fields) and answers
 * like Mobizon, or with a scripted failure, so tests exercise the real HTTP
 * client code.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface MobizonRequest {
  method: string
  path: string
  query: URLSearchParams
  contentType: string
  form: URLSearchParams
}

/** What the server answers: a Mobizon JSON answer (HTTP 200), a bare HTTP status, a non-JSON body, or a hang. */
export type MobizonReply =
  { code: number; data?: unknown; message?: string } | { httpStatus: number } | { html: string } | { hang: true }

export interface MobizonServer {
  /** Base URL for OQU_SMS_API_URL. */
  url: string
  requests: MobizonRequest[]
  /** Answers the next requests with these replies, in order; afterwards with success. */
  script(...replies: MobizonReply[]): void
  /** Answers every following request with this reply. */
  always(reply: MobizonReply | undefined): void
  close(): Promise<void>
}

/** Starts the server on 127.0.0.1, a random port. Success answers carry increasing message ids. */
export async function startMobizonServer(): Promise<MobizonServer> {
  const requests: MobizonRequest[] = []
  let scripted: MobizonReply[] = []
  let fallback: MobizonReply | undefined
  let nextId = 1000
  const hanging = new Set<http.ServerResponse>()

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost')
      requests.push({
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        contentType: req.headers['content-type'] ?? '',
        form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
      })
      const reply = scripted.shift() ?? fallback ?? { code: 0, data: { campaignId: '77', messageId: String(nextId++) } }
      if ('hang' in reply) return void hanging.add(res)
      if ('httpStatus' in reply) return void res.writeHead(reply.httpStatus).end()
      if ('html' in reply) return void res.writeHead(200, { 'content-type': 'text/html' }).end(reply.html)
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ code: reply.code, data: reply.data ?? '', message: reply.message ?? '' }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...replies) => {
      scripted = replies
    },
    always: (reply) => {
      fallback = reply
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

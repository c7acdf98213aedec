/** Liveness (/healthz: the process answers) and readiness (/readyz: the database answers). */
import type { HttpApp } from './http-app'
import { sql } from 'kysely'
import { Type } from 'typebox'
import type { Db } from '../db/database'

const Health = Type.Object({ status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]) })

export function registerHealthRoutes(app: HttpApp, deps: { db: Db }): void {
  app.get('/healthz', { schema: { tags: ['operations'], response: { 200: Health } } }, async () => ({
    status: 'ok' as const,
  }))
  app.get(
    '/readyz',
    { schema: { tags: ['operations'], response: { 200: Health, 503: Health } } },
    async (req, reply) => {
      try {
        await sql`select 1`.execute(deps.db)
        return { status: 'ok' as const }
      } catch (err) {
        req.log.warn({ err: (err as Error).message }, 'readiness check failed')
        return reply.status(503).send({ status: 'unavailable' as const })
      }
    },
  )
}

/** OpenAPI 3.1 document at /api/openapi.json and its UI at /api/docs. */
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { HttpApp } from './http-app'

export async function registerOpenApi(app: HttpApp, info: { version: string; publicUrl: string }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Oqu API',
        description: 'Education services whose privacy policy is true in software.',
        version: info.version,
        license: { name: 'AGPL-3.0-or-later' },
      },
      servers: [{ url: info.publicUrl }],
      tags: [
        { name: 'platform', description: 'About this installation' },
        { name: 'operations', description: 'Health and readiness' },
      ],
    },
  })
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, uiConfig: { docExpansion: 'list' } })
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}

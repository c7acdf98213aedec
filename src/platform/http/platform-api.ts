/** `GET /api/v1/platform`: what this installation is (no personal data). */
import type { HttpApp } from './http-app'
import { Type } from 'typebox'
import type { Config } from '../../config'
import { LOCALES } from '../context'

const PlatformInfo = Type.Object({
  name: Type.Literal('Oqu'),
  version: Type.String(),
  profile: Type.String({ description: 'Active operator profile id' }),
  locales: Type.Array(Type.String()),
  database: Type.Union([Type.Literal('embedded'), Type.Literal('postgresql')]),
})

export function registerPlatformApi(app: HttpApp, deps: { config: Config; version: string }): void {
  app.get(
    '/api/v1/platform',
    { schema: { tags: ['platform'], summary: 'About this installation', response: { 200: PlatformInfo } } },
    async () => ({
      name: 'Oqu' as const,
      version: deps.version,
      profile: deps.config.profile,
      locales: [...LOCALES],
      database: deps.config.databaseUrl ? ('postgresql' as const) : ('embedded' as const),
    }),
  )
}

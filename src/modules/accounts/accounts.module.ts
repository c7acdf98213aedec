/**
 * The accounts module assembled: its services built in dependency order
 * (`createAccountsModule`), its pages registered (`registerAccountsPages`),
 * and the list of its routes with who may use them (`ACCOUNT_ROUTES`, read
 * by the authorization test matrix). `registerAuthentication` is separate:
 * it must run early, right after the request context is built.
 */
import type { AuditLog } from '../../platform/audit/index'
import type { FieldCrypto } from '../../platform/crypto/index'
import type { HttpApp } from '../../platform/http/http-app'
import type { I18n } from '../../platform/i18n/i18n'
import type { Views } from '../../platform/views/layout'
import { registerAccountPages } from './account.pages'
import { createAccountsService, type AccountsService } from './accounts.service'
import { createLoginThrottle, type LoginThrottle } from './login-throttle'
import { createSessionsService, type SessionsService } from './sessions.service'
import { registerSignInPages } from './sign-in.pages'
import { createSignInService, type SignInService } from './sign-in.service'

export interface AccountsModuleDeps {
  audit: Pick<AuditLog, 'record'>
  crypto: Pick<FieldCrypto, 'encryptField' | 'decryptField' | 'blindIndex'>
}

export interface AccountsModule {
  accounts: AccountsService
  sessions: SessionsService
  throttle: LoginThrottle
  signIn: SignInService
}

/** Builds every accounts service. */
export function createAccountsModule(deps: AccountsModuleDeps): AccountsModule {
  const accounts = createAccountsService(deps)
  const sessions = createSessionsService(deps)
  const throttle = createLoginThrottle(deps)
  const signIn = createSignInService({ ...deps, sessions, throttle })
  return { accounts, sessions, throttle, signIn }
}

/** Who may use a route: anyone, or only a signed-in person. */
export type RouteAccess = 'public' | 'user'

/** Every route the accounts module registers (the authorization matrix test checks this list is complete). */
export const ACCOUNT_ROUTES = [
  { method: 'GET', url: '/login', access: 'public' },
  { method: 'POST', url: '/login', access: 'public' },
  { method: 'GET', url: '/logout', access: 'public' },
  { method: 'POST', url: '/logout', access: 'public' },
  { method: 'GET', url: '/account', access: 'user' },
  { method: 'GET', url: '/account/sessions', access: 'user' },
  { method: 'POST', url: '/account/sessions/:id/revoke', access: 'user' },
  { method: 'POST', url: '/account/sessions/revoke-others', access: 'user' },
  { method: 'GET', url: '/api/v1/account/sessions', access: 'user' },
] as const satisfies readonly { method: 'GET' | 'POST'; url: string; access: RouteAccess }[]

/** Registers the sign-in, sign-out and account pages and the accounts API. */
export function registerAccountsPages(
  app: HttpApp,
  deps: { views: Views; i18n: I18n; secureCookies: boolean; module: AccountsModule },
): void {
  const { views, i18n, secureCookies, module } = deps
  registerSignInPages(app, { views, i18n, secureCookies, signIn: module.signIn })
  registerAccountPages(app, { views, i18n, secureCookies, accounts: module.accounts, sessions: module.sessions })
}

/**
 * The accounts module assembled: its services built in dependency order
 * (`createAccountsModule`), its pages registered (`registerAccountsPages`),
 * and the list of its routes with who may use them (`ACCOUNT_ROUTES`, read
 * by the authorization test matrix). `registerAuthentication` is separate:
 * it must run early, right after the request context is built.
 */
import type { AuditLog } from '../../platform/audit/index'
import type { FieldCrypto } from '../../platform/crypto/index'
import type { FastifyRequest } from 'fastify'
import type { HttpApp } from '../../platform/http/http-app'
import type { I18n, MessageValues } from '../../platform/i18n/i18n'
import { html } from '../../platform/views/html'
import type { Views } from '../../platform/views/layout'
import { registerAccountPages } from './account.pages'
import { registerGuardianPages } from './guardians.pages'
import { registerGuardianChildPages } from './guardian-child.pages'
import { createGuardiansService, type GuardiansService } from './guardians.service'
import { createMinorsService, type MinorsService } from './minors.service'
import { registerAccountEditPages } from './account-edit.pages'
import { askedFields } from './registration.pages'
import { registerPasswordResetPages } from './password-reset.pages'
import { registerRegistrationPages } from './registration.pages'
import { registrationFields } from '../privacy/index'
import { registerSecondFactorPages } from './second-factor.pages'
import { renderSecondFactorStatus } from './second-factor.views'
import { STAFF_ROLES } from './accounts.tables'
import { createSecondFactorService, type SecondFactorService } from './second-factor.service'
import { createCorrectionsService, type CorrectionsService } from './corrections.service'
import { createAvatarsService, type AvatarsService } from './avatars.service'
import { registerAvatarPages, renderAvatarSection } from './avatar.pages'
import { registerVerificationPages } from './verification.pages'
import type { Notifications } from '../notifications/index'
import type { ConsentService, PolicyService, Profile, PurposesService } from '../privacy/index'
import { createAccountsService, type AccountsService } from './accounts.service'
import { createLoginThrottle, type LoginThrottle } from './login-throttle'
import { createOneTimeSecrets, type OneTimeSecrets } from './one-time-secrets'
import { createPasswordResetService, type PasswordResetService } from './password-reset.service'
import { createRegistrationService, type RegistrationService } from './registration.service'
import { createSessionsService, type SessionsService } from './sessions.service'
import { registerSignInPages } from './sign-in.pages'
import { createSignInService, type SignInService } from './sign-in.service'
import { createVerificationService, type VerificationService } from './verification.service'

export interface AccountsModuleDeps {
  audit: Pick<AuditLog, 'record'>
  crypto: Pick<FieldCrypto, 'encryptField' | 'decryptField' | 'blindIndex'>
  /** Sends the verification links and codes and the reset links. */
  notifications: Pick<Notifications, 'send'>
  /** Records the policy acceptance at registration; a person's records tell the language they use. */
  consents: Pick<ConsentService, 'recordPolicyAcceptance' | 'recordsOf'>
  /** The public base URL links in e-mails point to (OQU_PUBLIC_URL). */
  publicUrl: string
}

export interface AccountsModule {
  accounts: AccountsService
  sessions: SessionsService
  throttle: LoginThrottle
  secrets: OneTimeSecrets
  signIn: SignInService
  verification: VerificationService
  registration: RegistrationService
  passwordReset: PasswordResetService
  secondFactor: SecondFactorService
  /** Correcting one's data (T-5.2.2) and the DPO's data change requests. */
  corrections: CorrectionsService
  /** The avatar (B-2.2), where the profile asks for one. */
  avatars: AvatarsService
  /** Minors' guardians: invitation, link, consent for the child, consent at 18. */
  guardians: GuardiansService
  /** Coming of age: the birthday e-mail asking for personal consent. */
  minors: MinorsService
}

/** Builds every accounts service in dependency order. */
export function createAccountsModule(deps: AccountsModuleDeps): AccountsModule {
  const { audit, crypto, notifications, consents, publicUrl } = deps
  const accounts = createAccountsService({ audit, crypto })
  const sessions = createSessionsService({ audit, crypto })
  const throttle = createLoginThrottle({ crypto })
  const secrets = createOneTimeSecrets({ crypto })
  const signIn = createSignInService({ audit, crypto, sessions, throttle })
  const common = { audit, crypto, secrets, notifications, throttle, publicUrl }
  const verification = createVerificationService({ ...common, accounts })
  const registration = createRegistrationService({ audit, crypto, consents, sessions, verification })
  const passwordReset = createPasswordResetService({ ...common, sessions })
  const secondFactor = createSecondFactorService({ audit, crypto, accounts, sessions, throttle })
  const corrections = createCorrectionsService({ audit, crypto, accounts, verification })
  return {
    accounts,
    sessions,
    throttle,
    secrets,
    signIn,
    verification,
    registration,
    passwordReset,
    secondFactor,
    corrections,
    avatars: createAvatarsService({ audit, crypto }),
    guardians: createGuardiansService({ audit, crypto, consents, notifications, verification, publicUrl }),
    minors: createMinorsService({ audit, accounts, consents, notifications, publicUrl }),
  }
}

/**
 * Who may use a route: anyone, only a signed-in person, or only a staff
 * session half signed in (its second factor due).
 */
export type RouteAccess = 'public' | 'user' | 'second_factor'

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
  { method: 'GET', url: '/register', access: 'public' },
  { method: 'POST', url: '/register', access: 'public' },
  { method: 'GET', url: '/account/verify', access: 'user' },
  { method: 'POST', url: '/account/verify/phone', access: 'user' },
  { method: 'POST', url: '/account/verify/email/resend', access: 'user' },
  { method: 'POST', url: '/account/verify/phone/resend', access: 'user' },
  { method: 'GET', url: '/account/verify-email', access: 'public' },
  { method: 'POST', url: '/account/verify-email', access: 'public' },
  { method: 'GET', url: '/password/forgot', access: 'public' },
  { method: 'POST', url: '/password/forgot', access: 'public' },
  { method: 'GET', url: '/password/reset', access: 'public' },
  { method: 'POST', url: '/password/reset', access: 'public' },
  { method: 'GET', url: '/login/second-factor', access: 'second_factor' },
  { method: 'POST', url: '/login/second-factor', access: 'second_factor' },
  { method: 'GET', url: '/login/second-factor/enrol', access: 'second_factor' },
  { method: 'POST', url: '/login/second-factor/enrol', access: 'second_factor' },
  { method: 'GET', url: '/account/edit', access: 'user' },
  { method: 'POST', url: '/account/edit', access: 'user' },
  { method: 'POST', url: '/account/change-requests', access: 'user' },
  { method: 'POST', url: '/account/avatar', access: 'user' },
  { method: 'POST', url: '/account/avatar/delete', access: 'user' },
  { method: 'GET', url: '/account/avatar', access: 'user' },
  { method: 'GET', url: '/account/guardian', access: 'user' },
  { method: 'POST', url: '/account/guardian/invite', access: 'user' },
  { method: 'POST', url: '/account/consent', access: 'user' },
  { method: 'GET', url: '/guardian/accept', access: 'public' },
  { method: 'POST', url: '/guardian/accept', access: 'user' },
  { method: 'GET', url: '/account/children', access: 'user' },
  { method: 'GET', url: '/account/children/:id', access: 'user' },
  { method: 'POST', url: '/account/children/:id/consent', access: 'user' },
  { method: 'POST', url: '/account/children/:id/revoke', access: 'user' },
  { method: 'GET', url: '/account/children/:id/edit', access: 'user' },
  { method: 'POST', url: '/account/children/:id/edit', access: 'user' },
  { method: 'POST', url: '/account/children/:id/change-requests', access: 'user' },
  { method: 'POST', url: '/account/children/:id/purposes', access: 'user' },
] as const satisfies readonly { method: 'GET' | 'POST'; url: string; access: RouteAccess }[]

export interface AccountsPagesDeps {
  views: Views
  i18n: I18n
  secureCookies: boolean
  module: AccountsModule
  /** The policy in force is shown at registration. */
  policies: Pick<PolicyService, 'currentPolicy'>
  /** The operator profile decides the registration fields. */
  profile: Profile
  /** A guardian switches the child's optional purposes (privacy's purposes, `givenBy` = guardian). */
  purposes: Pick<PurposesService, 'states' | 'set'>
}

/** Registers every accounts page (registration, sign-in/out, account, sessions, verification, reset) and the API. */
export function registerAccountsPages(app: HttpApp, deps: AccountsPagesDeps): void {
  const { views, i18n, secureCookies, module, policies, profile } = deps
  const { accounts, sessions, signIn, registration, verification, passwordReset, secondFactor, corrections, avatars } =
    module
  const avatarsOn = registrationFields(profile).some((f) => f.name === 'avatar')
  const avatarSection = avatarsOn
    ? async (req: FastifyRequest, csrf: string) =>
        renderAvatarSection((key, values) => i18n.t(req.ctx.locale, key, values), {
          updatedAt: await avatars.updatedAt(req.ctx, req.ctx.actor!.id),
          csrf,
        })
    : undefined
  registerSignInPages(app, { views, i18n, secureCookies, signIn })
  registerSecondFactorPages(app, { views, i18n, secureCookies, secondFactor })
  registerRegistrationPages(app, { views, i18n, secureCookies, registration, policies, profile })
  registerAccountPages(app, {
    views,
    i18n,
    secureCookies,
    accounts,
    sessions,
    verification,
    corrections,
    avatarSection,
    secondFactorSection: async (req) => {
      const actor = req.ctx.actor!
      if (!actor.roles.some((r) => STAFF_ROLES.includes(r))) return html``
      const t = (key: string, values?: MessageValues) => i18n.t(req.ctx.locale, key, values)
      return renderSecondFactorStatus(t, await secondFactor.status(req.ctx, actor.id))
    },
  })
  registerAvatarPages(app, { views, i18n, avatars, enabled: avatarsOn })
  registerAccountEditPages(app, { views, i18n, accounts, corrections, asked: askedFields(profile) })
  registerVerificationPages(app, { views, i18n, accounts, verification })
  registerPasswordResetPages(app, { views, i18n, passwordReset })
  registerGuardianPages(app, { views, i18n, guardians: module.guardians, accounts, policies, profile })
  registerGuardianChildPages(app, {
    views,
    i18n,
    guardians: module.guardians,
    accounts,
    verification,
    corrections,
    purposes: deps.purposes,
    policies,
    profile,
    asked: askedFields(profile),
  })
}

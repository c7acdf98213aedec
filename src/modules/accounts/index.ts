/**
 * The accounts module's public surface: accounts and their fields, IIN and
 * phone rules, passwords, sessions and sign-in, registration, verification,
 * password reset, policies, pages and jobs.
 */
export {
  createAccountsService,
  EMAIL_FIELD,
  EMAIL_INDEX_PURPOSE,
  PROFILE_FIELDS,
  type ProfileFields,
  type Account,
  type AccountsService,
  type AccountsServiceDeps,
  type CreateAccountInput,
} from './accounts.service'
export {
  AccountsError,
  EmailTakenError,
  PhoneTakenError,
  SignInFailedError,
  SignInLockedError,
  CodeRejectedError,
  IinTakenError,
  LinkInvalidError,
  RegistrationInvalidError,
  TooManyRequestsError,
  type FieldProblem,
  InvalidEmailError,
  InvalidIinError,
  InvalidPhoneError,
  InvalidRoleError,
  WeakPasswordError,
  SecondFactorRejectedError,
  SecondFactorEnrolledError,
  NotAllowedError,
  RequestDecidedError,
  ChangeSameError,
  AvatarRejectedError,
  type AccountsErrorCode,
  type IinProblem,
  type PasswordProblem,
  type PhoneProblem,
} from './accounts.errors'
export { ACCOUNT_STATUSES, ROLES, STAFF_ROLES, type AccountStatus, type AccountTables } from './accounts.tables'
export { accountsDataMap } from './accounts.data-map'
export { maskEmail, normaliseEmail, tryNormaliseEmail } from './emails'
export {
  checkPasswordPolicy,
  hashPassword,
  needsRehash,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  verifyPassword,
} from './passwords'
export {
  IIN_FIELD,
  IIN_INDEX_PURPOSE,
  iinCheckDigit,
  iinHints,
  isValidIin,
  maskIin,
  normaliseIin,
  type IinHints,
} from './iin'
export { formatPhone, maskPhone, normalisePhone, PHONE_FIELD, PHONE_INDEX_PURPOSE, tryNormalisePhone } from './phones'
export {
  createAccountsModule,
  registerAccountsPages,
  ACCOUNT_ROUTES,
  type AccountsModule,
  type AccountsModuleDeps,
  type AccountsPagesDeps,
  type RouteAccess,
} from './accounts.module'
export { accountsJobs } from './accounts.jobs'
export {
  registerAuthentication,
  requireUser,
  SECOND_FACTOR_PATH,
  signInUrl,
  SESSION_COOKIE,
  type AuthenticationDeps,
} from './authentication'
export {
  canDecideChangeRequests,
  canEditAccount,
  canRevokeSession,
  canViewAccount,
  canViewAvatar,
  canViewSessions,
  isSignedIn,
  mayProcess,
  type UserActor,
} from './policies'
export {
  createSessionsService,
  DEFAULT_LIFETIMES,
  hashSessionToken,
  LOGIN_HISTORY_DAYS,
  SESSION_IP_FIELD,
  type CurrentSession,
  type SecondFactorState,
  SECOND_FACTOR_WAIT_MS,
  type SessionLifetimes,
  type SessionsService,
  type SessionView,
  type StartedSession,
} from './sessions.service'
export { createSignInService, type SignInInput, type SignInService } from './sign-in.service'
export { createLoginThrottle, DEFAULT_THROTTLE_RULES, type LoginThrottle, type ThrottleRule } from './login-throttle'
export { summariseUserAgent, type UserAgentSummary } from './user-agents'
export { maskIp } from './ip-addresses'
export {
  createRegistrationService,
  type Registered,
  type RegisterInput,
  type RegistrationService,
} from './registration.service'
export { askedFields } from './registration.pages'
export { ageOn, checkRegistrationFields, FORM_FIELDS, type AskedField, type FormField } from './registration-fields'
export { createVerificationService, emailVerificationUrl, type VerificationService } from './verification.service'
export { createPasswordResetService, passwordResetUrl, type PasswordResetService } from './password-reset.service'
export { createOneTimeSecrets, MAX_CODE_ATTEMPTS, SECRET_LIFETIMES, type OneTimeSecrets } from './one-time-secrets'
export {
  createSecondFactorService,
  RECOVERY_CODE_COUNT,
  TOTP_SECRET_FIELD,
  type SecondFactorService,
  type SecondFactorStatus,
} from './second-factor.service'
export { base32Decode, hotp, otpauthUri, totpAt, totpStep } from './totp'
export {
  createCorrectionsService,
  DIRECT_FIELDS,
  PENDING_LIFETIMES,
  type ChangeRequestForDecision,
  type CorrectionsService,
  type OwnChangeRequest,
  type QueuedChangeRequest,
} from './corrections.service'
export {
  CHANGE_REQUEST_FIELDS,
  CHANGE_REQUEST_STATUSES,
  type ChangeRequestField,
  type ChangeRequestStatus,
} from './accounts.tables'
export { type PendingIdentifiers } from './verification.service'
export { AVATAR_FIELD, createAvatarsService, type AvatarsService } from './avatars.service'
export { AVATAR_MAX_BYTES, AVATAR_SIZE, processAvatar, sniffImageType } from './avatar-images'
/** Test clients of other modules pass the staff second factor through this (no production caller). */
export { finishStaffSignIn, type FormClient } from './second-factor.test-support'
export { adultOn, ADULT_AGE, isMinorOn, restrictionOf, type Restriction } from './minors'
export { GUARDIAN_PATH, isEssential } from './authentication'
export {
  createGuardiansService,
  GUARDIAN_INVITE_LIFETIME_MS,
  guardianInviteUrl,
  type GuardiansService,
} from './guardians.service'
export { AccountClosedError, createAccountClosureService, type AccountClosureService } from './account-closure.service'

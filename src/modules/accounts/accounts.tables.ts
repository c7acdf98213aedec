/** The accounts tables as Kysely sees them (migrations 0004 and 0007); use `db.withTables<AccountTables>()`. */
import type { Role } from '../../platform/context'

/** Every role, in the order of the CHECK constraint on user_roles.role. */
export const ROLES = ['learner', 'guardian', 'instructor', 'support', 'dpo', 'admin'] as const satisfies readonly Role[]

// Fails to compile when the platform's Role gains a member this list (and the migration) lacks.
const _everyRoleListed: Exclude<Role, (typeof ROLES)[number]> extends never ? true : false = true
void _everyRoleListed

/** Roles that require a second factor (TOTP) at sign-in (second-factor.service.ts). */
export const STAFF_ROLES: readonly Role[] = ['support', 'dpo', 'admin']

export const ACCOUNT_STATUSES = ['active', 'blocked', 'closed'] as const
/** `active` may sign in; `blocked` is suspended (by staff or a rights request); `closed` is ended for good. */
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number]

export interface UsersTable {
  /** Random UUID made by the application (crypto.randomUUID); also the subject id of the person's data key. */
  id: string
  /** The normalised e-mail address, encrypted under the user's data key (field `accounts.email`). */
  email_ciphertext: string | null
  /** HMAC blind index of the normalised address (purpose `accounts.email`); unique. */
  email_index: string | null
  /** argon2id PHC string; null when no password is set. */
  password_hash: string | null
  status: AccountStatus
  created_at: Date
  updated_at: Date
  last_active_at: Date | null
  /** The E.164 phone number, encrypted under the user's data key (field `accounts.phone`). */
  phone_ciphertext: string | null
  /** HMAC blind index of the E.164 number (purpose `accounts.phone`); unique. */
  phone_index: string | null
  email_verified_at: Date | null
  phone_verified_at: Date | null
  /** Registration fields (migration 0009), each encrypted under the user's data key (fields `accounts.<name>`). */
  surname_ciphertext: string | null
  given_name_ciphertext: string | null
  patronymic_ciphertext: string | null
  user_name_ciphertext: string | null
  iin_ciphertext: string | null
  /** HMAC blind index of the IIN (purpose `accounts.iin`); unique. */
  iin_index: string | null
  gender_ciphertext: string | null
  birth_date_ciphertext: string | null
  /** A new address waiting for its proof (migration 0012): ciphertext (field `accounts.email`), blind index, expiry. */
  pending_email_ciphertext: string | null
  pending_email_index: string | null
  pending_email_expires_at: Date | null
  /** A new number waiting for its code (field `accounts.phone`), blind index, expiry. */
  pending_phone_ciphertext: string | null
  pending_phone_index: string | null
  pending_phone_expires_at: Date | null
  /** The date the person turns 18 (Almaty calendar), migration 0015; null for adults and when age is not asked. */
  adult_on: string | null
  /** `awaiting_guardian` until a guardian consents for the minor, then `guardian_consented`; null for adults. */
  guardian_state: GuardianState | null
  /** When the former minor was e-mailed on their 18th birthday to consent personally (migration 0016); once. */
  adult_consent_asked_at: Date | null
}

export const GUARDIAN_STATES = ['awaiting_guardian', 'guardian_consented'] as const
export type GuardianState = (typeof GUARDIAN_STATES)[number]

export const GUARDIAN_LINK_STATUSES = ['invited', 'linked', 'consented', 'revoked', 'expired'] as const
export type GuardianLinkStatus = (typeof GUARDIAN_LINK_STATUSES)[number]

/** A minor's invitation of a guardian, then the link between the two accounts (migration 0015). */
export interface GuardianLinksTable {
  id: string
  child_id: string
  /** Null while the invitation waits for the guardian to open it. */
  guardian_id: string | null
  status: GuardianLinkStatus
  /** HMAC of the link's secret (purpose `accounts.one_time_secret`); null once used. */
  token_hash: string | null
  token_expires_at: Date | null
  invited_at: Date
  linked_at: Date | null
  consented_at: Date | null
  /** The consent record the guardian gave for the child. */
  consent_id: string | null
  ended_at: Date | null
}

export interface UserRolesTable {
  user_id: string
  role: Role
  granted_at: Date
  /** Id of the user or system actor that granted the role (the user's own id for self-registration). */
  granted_by: string
}

export const SESSION_KINDS = ['standard', 'staff'] as const
/** Which lifetime rules a session follows: `staff` (support, dpo, admin) sessions are short. */
export type SessionKind = (typeof SESSION_KINDS)[number]

export const REVOKE_REASONS = [
  'signed_out',
  'revoked',
  'revoked_others',
  'replaced',
  'password_reset',
  'second_factor_reset',
] as const
/**
 * `signed_out` by the person; `revoked` from their sessions page; `revoked_others` by "sign out elsewhere";
 * `replaced` by a new sign-in in the same browser; `password_reset` when the password was reset;
 * `second_factor_reset` when an administrator reset the account's lost second factor.
 */
export type RevokeReason = (typeof REVOKE_REASONS)[number]

export type DeviceType = 'desktop' | 'mobile' | 'tablet' | 'unknown'

export interface SessionsTable {
  /** Random UUID: names the session on the sessions page and in the audit log (never the token). */
  id: string
  user_id: string
  /** Hex SHA-256 of the 32-byte random token; the token itself is only in the cookie. */
  token_hash: string
  kind: SessionKind
  created_at: Date
  last_seen_at: Date
  idle_expires_at: Date
  absolute_expires_at: Date
  revoked_at: Date | null
  revoked_reason: RevokeReason | null
  /** The sign-in IP, encrypted under the user's data key (field `accounts.session_ip`). */
  ip_ciphertext: string | null
  browser: string | null
  os: string | null
  device: DeviceType
  /** When a staff session passed its second factor (migration 0012); null: half signed in. */
  second_factor_at: Date | null
}

export type ThrottleScope = 'identifier' | 'ip'

export interface LoginThrottlesTable {
  scope: ThrottleScope
  /** HMAC blind index of the normalised identifier or the IP (purpose `accounts.login_throttle`). */
  key_hash: string
  failures: number
  window_started_at: Date
  locked_until: Date | null
  updated_at: Date
}

export const TOKEN_PURPOSES = ['email_verification', 'phone_verification', 'password_reset'] as const
/** What a one-time secret proves or allows. */
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number]

export interface AccountTokensTable {
  id: string
  user_id: string
  purpose: TokenPurpose
  /** HMAC of the secret (purpose `accounts.one_time_secret`); the secret itself only went to the person. */
  secret_hash: string
  /** Blind index of the e-mail address or phone number the secret verifies, when it verifies one. */
  target_index: string | null
  created_at: Date
  expires_at: Date
  used_at: Date | null
  attempts: number
}

export interface TotpFactorsTable {
  user_id: string
  /** The base32 TOTP secret, encrypted under the user's data key (field `accounts.totp_secret`). */
  secret_ciphertext: string
  created_at: Date
  /** When the person proved their authenticator with a first code; null while enrolling. */
  confirmed_at: Date | null
  /** The newest 30-second step a code was accepted for: a code of that step or an earlier one is refused. */
  last_used_step: string | number | bigint | null
}

export interface RecoveryCodesTable {
  id: string
  user_id: string
  /** HMAC of the code (purpose `accounts.recovery_code`). */
  code_hash: string
  created_at: Date
  used_at: Date | null
}

export const CHANGE_REQUEST_FIELDS = ['surname', 'givenName', 'patronymic', 'iin'] as const
/** The fields a person corrects only through a request to the DPO (T-5.2.2): the IIN and legal names. */
export type ChangeRequestField = (typeof CHANGE_REQUEST_FIELDS)[number]
export const CHANGE_REQUEST_STATUSES = ['open', 'approved', 'rejected'] as const
export type ChangeRequestStatus = (typeof CHANGE_REQUEST_STATUSES)[number]

export interface DataChangeRequestsTable {
  id: string
  user_id: string
  field: ChangeRequestField
  /** The requested value, encrypted under the user's data key (field `accounts.change_request_value`). */
  value_ciphertext: string
  /** The person's reason, encrypted (field `accounts.change_request_reason`). */
  reason_ciphertext: string | null
  status: ChangeRequestStatus
  created_at: Date
  decided_at: Date | null
  /** The DPO who decided. */
  decided_by: string | null
  /** The DPO's note to the person, encrypted (field `accounts.change_request_note`). */
  note_ciphertext: string | null
}

export interface UserAvatarsTable {
  user_id: string
  /** The WebP bytes in base64, encrypted under the user's data key (field `accounts.avatar`). */
  image_ciphertext: string
  content_type: 'image/webp'
  width: number
  height: number
  updated_at: Date
}

// A type alias, not an interface: withTables<T>() needs T to have an implicit index signature.
export type AccountTables = {
  account_tokens: AccountTokensTable
  users: UsersTable
  user_roles: UserRolesTable
  guardian_links: GuardianLinksTable
  sessions: SessionsTable
  login_throttles: LoginThrottlesTable
  totp_factors: TotpFactorsTable
  recovery_codes: RecoveryCodesTable
  data_change_requests: DataChangeRequestsTable
  user_avatars: UserAvatarsTable
}

/** The accounts tables as Kysely sees them (migration 0004-accounts); use `db.withTables<AccountTables>()`. */
import type { Role } from '../../platform/context'

/** Every role, in the order of the CHECK constraint on user_roles.role. */
export const ROLES = ['learner', 'guardian', 'instructor', 'support', 'dpo', 'admin'] as const satisfies readonly Role[]

// Fails to compile when the platform's Role gains a member this list (and the migration) lacks.
const _everyRoleListed: Exclude<Role, (typeof ROLES)[number]> extends never ? true : false = true
void _everyRoleListed

/** Roles that will require a second factor (TOTP) at sign-in. */
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
}

export interface UserRolesTable {
  user_id: string
  role: Role
  granted_at: Date
  /** Id of the user or system actor that granted the role (the user's own id for self-registration). */
  granted_by: string
}

// A type alias, not an interface: withTables<T>() needs T to have an implicit index signature.
export type AccountTables = {
  users: UsersTable
  user_roles: UserRolesTable
}

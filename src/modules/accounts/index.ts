/** The accounts module's public surface: creating and finding accounts, passwords, e-mail normalisation. */
export {
  createAccountsService,
  EMAIL_FIELD,
  EMAIL_INDEX_PURPOSE,
  type Account,
  type AccountsService,
  type AccountsServiceDeps,
  type CreateAccountInput,
} from './accounts.service'
export {
  AccountsError,
  EmailTakenError,
  InvalidEmailError,
  InvalidRoleError,
  WeakPasswordError,
  type AccountsErrorCode,
  type PasswordProblem,
} from './accounts.errors'
export { ACCOUNT_STATUSES, ROLES, STAFF_ROLES, type AccountStatus, type AccountTables } from './accounts.tables'
export { accountsDataMap } from './accounts.data-map'
export { normaliseEmail, tryNormaliseEmail } from './emails'
export {
  checkPasswordPolicy,
  hashPassword,
  needsRehash,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  verifyPassword,
} from './passwords'

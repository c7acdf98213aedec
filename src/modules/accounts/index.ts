/** The accounts module's public surface: accounts, passwords, e-mail, IIN and phone rules. */
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
  InvalidIinError,
  InvalidPhoneError,
  InvalidRoleError,
  WeakPasswordError,
  type AccountsErrorCode,
  type IinProblem,
  type PasswordProblem,
  type PhoneProblem,
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

/**
 * The privacy module's public surface: operator profiles, policy versions,
 * the consent ledger and its Art. 8(4) receipts.
 */
export {
  loadProfile,
  policyFile,
  profileCategories,
  profileGaps,
  PROFILES_DIR,
  ProfileError,
  registrationFields,
  type Profile,
  type RegistrationField,
} from './profiles'
export {
  FIELD_CATEGORIES,
  ProfileSchema,
  type LocalizedText,
  type ProfileData,
  type ProfilePurpose,
  type ProfileRecipient,
  type RegistrationFieldName,
} from './profiles.schema'
export { renderMarkdown, type MarkdownOptions } from './markdown'
export {
  createPolicyService,
  sha256Hex,
  type PolicyService,
  type PolicyServiceDeps,
  type PolicyText,
} from './policies.service'
export {
  CONSENT_IP_FIELD,
  CONSENT_USER_AGENT_FIELD,
  createConsentService,
  type ConsentEvidence,
  type ConsentRecord,
  type ConsentService,
  type ConsentServiceDeps,
  type PolicyAcceptanceInput,
} from './consents.service'
export {
  createReceiptService,
  type ConsentReceipt,
  type ReceiptService,
  type ReceiptServiceDeps,
} from './receipts.service'
export { presentReceipt, type ReceiptView } from './receipts.presenter'
export { renderReceiptPdf } from './receipts.pdf'
export { registerReceiptPages, type ReceiptAuthorizer, type ReceiptPagesDeps } from './receipts.pages'
export {
  AlreadyWithdrawnError,
  ConsentNotFoundError,
  DraftInvalidError,
  DraftNotFoundError,
  EffectiveDateInvalidError,
  InvalidConsentError,
  NoticeTooShortError,
  PasswordIncorrectError,
  PurposeInvalidError,
  WithdrawalRefusedError,
  PolicyNotFoundError,
  PolicyTextMismatchError,
  PrivacyError,
  type PrivacyErrorCode,
} from './privacy.errors'
export {
  COMPLAINT_STATUSES,
  CONSENT_CHANNELS,
  CONSENT_KINDS,
  POLICY_STATUSES,
  type ConsentChannel,
  type ConsentKind,
  type PolicyStatus,
  type PrivacyTables,
} from './privacy.tables'
export { privacyDataMap } from './privacy.data-map'
export { createPrivacyLifecycle, privacyJobs, type PrivacyLifecycle, type PrivacyLifecycleDeps } from './privacy.module'
export {
  createPolicyVersionsService,
  normaliseMarkdown,
  SEND_POLICY_NOTICES,
  type NoticeRule,
  type PolicyTexts,
  type PolicyVersionsService,
  type PublishedVersion,
  type VersionDiff,
  type VersionSummary,
} from './policy-versions.service'
export { diffPolicies, type DiffBlock, type PolicyDiff } from './policy-diff'
export { addDays, almatyDate, almatyTime, daysBetween, startOfAlmatyDay, TIME_ZONE } from './calendar'
export { RECORD_IMPLIED_ACCEPTANCES, type AcceptanceService, type PolicyBanner } from './acceptance.service'
export { type NoticesService, type NoticeProgress } from './notices.service'
export { type PurposesService, type PurposeState } from './purposes.service'
export { type WithdrawalEffect, type WithdrawalService } from './withdrawal.service'
export { ANNOUNCE_COURSE, type MarketingService } from './marketing.jobs'
export { sqlPeopleDirectory, type PeopleDirectory } from './people.repository'
export { canonicalRecord, createRecordSigner, type RecordSigner } from './signatures'
export { registerPolicyGate, registerPolicyPages, policyBannerOf, type PolicyPagesDeps } from './policy.pages'
export { registerDpoPages, type DpoPagesDeps } from './dpo.pages'
export { registerCentrePages, type CentrePagesDeps, type HeldValue } from './centre.pages'
export { canUseDpoDesk, canUsePrivacyCentre } from './privacy.policies'
export { type ComplaintsService, type Complaint } from './complaints.service'
export { createPurposesService } from './purposes.service'
export {
  CLOSE_ACCOUNT,
  createClosureService,
  type AccountClosure,
  type ClosureDeps,
  type ClosureService,
} from './closure.service'
export { addYears, retentionUntil } from './retention'
export { AccountNotOpenError, NoteRequiredError } from './privacy.errors'
export { confirmSignedAct, recordSignedWithdrawal } from './withdrawal.service'
export { registerClosurePages, type ClosurePagesDeps } from './closure.pages'
export { registerWardPages, type Ward, type WardPagesDeps } from './wards.pages'
export {
  CHANGE_REQUEST_STATUSES as DESK_REQUEST_STATUSES,
  createChangeRequestDesk,
  type ChangeRequestDesk,
  type ChangeRequestDeskDeps,
  type ChangeRequestSource,
  type DeskRequest,
  type OpenedRequest,
} from './requests.service'
export { registerRequestPages, type RequestPagesDeps } from './requests.pages'
export { PRIVACY_ROUTES, type PrivacyRouteAccess } from './privacy.routes'

/**
 * The consent ledger: one append-only row per decision (law Arts. 7–9,
 * Art. 8(4)). Accepting the policy at registration (T-1.2, B-1.2) records
 * the exact version, language and text hash that were shown; the hash is
 * checked against the stored text, so nobody is recorded as accepting words
 * they did not see. The decider's IP address and browser are kept encrypted
 * under the subject's data key; the audit log names the record by id only.
 */
import { randomUUID } from 'node:crypto'
import { personalDataIn, type AuditLog } from '../../platform/audit/index'
import { inTransaction, LOCALES, type Ctx, type Locale } from '../../platform/context'
import type { FieldCrypto } from '../../platform/crypto/index'
import type { Db } from '../../platform/db/database'
import {
  findConsentRecord,
  insertConsentRecord,
  listConsentRecords,
  type ConsentRecordRow,
} from './consents.repository'
import { findPublishedText } from './policies.repository'
import { InvalidConsentError, PolicyNotFoundError, PolicyTextMismatchError } from './privacy.errors'
import { CONSENT_CHANNELS, CONSENT_KINDS, type ConsentChannel, type ConsentKind } from './privacy.tables'
import { canonicalRecord } from './signatures'

/** Field names of the encrypted network details (part of the ciphertexts' AAD: never change them). */
export const CONSENT_IP_FIELD = 'privacy.consent_ip'
export const CONSENT_USER_AGENT_FIELD = 'privacy.consent_user_agent'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const SHA256 = /^[0-9a-f]{64}$/
const PURPOSE = /^[a-z][a-z_]{0,39}$/
const EVIDENCE_KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/

/** Flat facts about how a decision was made; never personal data. */
export type ConsentEvidence = Record<string, string | number | boolean | null>

/** A decision in the ledger as other code sees it (no network details). */
export interface ConsentRecord {
  id: string
  subjectId: string
  givenBy: string
  kind: ConsentKind
  purpose: string | null
  policyVersionId: string
  locale: Locale
  textSha256: string
  decidedAt: Date
  channel: string
  evidence: Record<string, unknown>
  /** `hmac-sha256:<hex>` over the canonical content (withdrawals); null otherwise. */
  signature: string | null
}

export interface PolicyAcceptanceInput {
  subjectId: string
  /** The legal representative's id when a guardian accepts for a minor; defaults to the subject. */
  givenBy?: string
  policyVersionId: string
  /** The language of the text that was shown. */
  locale: Locale
  /** SHA-256 of the text that was shown, as the page sent it. */
  textSha256: string
  channel: ConsentChannel
  evidence?: ConsentEvidence
}

/** A decision of any kind: a policy acceptance, one purpose on or off, or a withdrawal of consent. */
export interface ConsentDecisionInput extends PolicyAcceptanceInput {
  kind: ConsentKind
  /** The purpose of a `purpose_granted` / `purpose_withdrawn` decision; null otherwise. */
  purpose: string | null
  /** Sign the record (HMAC-SHA256 over its canonical content) so its receipt can be checked. */
  signed?: boolean
}

export interface ConsentServiceDeps {
  audit: Pick<AuditLog, 'record'>
  crypto: Pick<FieldCrypto, 'encryptField'>
  /** Signs a record's canonical content (see signatures.ts); records are unsigned without it. */
  sign?: (canonical: string) => string
}

export interface ConsentService {
  /** Records that the subject accepted exactly this text; throws PolicyTextMismatchError when the hash differs. */
  recordPolicyAcceptance(ctx: Ctx, input: PolicyAcceptanceInput): Promise<ConsentRecord>
  /** Records any decision against the text that was shown; the same checks as an acceptance. */
  recordDecision(ctx: Ctx, input: ConsentDecisionInput): Promise<ConsentRecord>
  /** A record by id; undefined for an unknown or malformed id. */
  findRecord(db: Db, id: string): Promise<ConsentRecord | undefined>
  /** The subject's records, oldest first. */
  recordsOf(db: Db, subjectId: string): Promise<ConsentRecord[]>
}

export const toConsentRecord = (r: ConsentRecordRow): ConsentRecord => ({
  id: r.id,
  subjectId: r.subject_id,
  givenBy: r.given_by,
  kind: r.kind,
  purpose: r.purpose,
  policyVersionId: r.policy_version_id,
  locale: r.locale,
  textSha256: r.text_sha256,
  decidedAt: r.decided_at,
  channel: r.channel,
  evidence: r.evidence,
  signature: r.signature,
})

function checkEvidence(evidence: ConsentEvidence): void {
  const entries = Object.entries(evidence)
  if (entries.length > 16) throw new InvalidConsentError('evidence')
  for (const [key, value] of entries) {
    if (!EVIDENCE_KEY.test(key)) throw new InvalidConsentError('evidence')
    if (value !== null && !['string', 'number', 'boolean'].includes(typeof value))
      throw new InvalidConsentError('evidence')
    if (typeof value === 'string' && (value.length > 200 || personalDataIn(value)))
      throw new InvalidConsentError('evidence')
  }
}

function checkInput(input: PolicyAcceptanceInput): void {
  if (!UUID.test(input.subjectId)) throw new InvalidConsentError('subjectId')
  if (input.givenBy !== undefined && !UUID.test(input.givenBy)) throw new InvalidConsentError('givenBy')
  if (!UUID.test(input.policyVersionId)) throw new InvalidConsentError('policyVersionId')
  if (!LOCALES.includes(input.locale)) throw new InvalidConsentError('locale')
  if (!SHA256.test(input.textSha256)) throw new InvalidConsentError('textSha256')
  if (!(CONSENT_CHANNELS as readonly string[]).includes(input.channel)) throw new InvalidConsentError('channel')
  checkEvidence(input.evidence ?? {})
}

/** Builds the consent service. Times come from `ctx.now`; network details from `ctx.ip` and `ctx.userAgent`. */
export function createConsentService(deps: ConsentServiceDeps): ConsentService {
  async function encrypted(ctx: Ctx, subjectId: string, field: string, value: string | null) {
    return value === null || value === '' ? null : deps.crypto.encryptField(ctx.db, { subjectId, field }, value)
  }

  return {
    async recordPolicyAcceptance(ctx, input) {
      return recordDecision(ctx, { ...input, kind: 'policy_acceptance', purpose: null })
    },

    recordDecision: (ctx, input) => recordDecision(ctx, input),

    async findRecord(db, id) {
      if (!UUID.test(id)) return undefined
      const row = await findConsentRecord(db, id)
      return row && toConsentRecord(row)
    },

    async recordsOf(db, subjectId) {
      if (!UUID.test(subjectId)) return []
      return (await listConsentRecords(db, subjectId)).map(toConsentRecord)
    },
  }

  async function recordDecision(ctx: Ctx, input: ConsentDecisionInput): Promise<ConsentRecord> {
    checkInput(input)
    if (!(CONSENT_KINDS as readonly string[]).includes(input.kind)) throw new InvalidConsentError('kind')
    const needsPurpose = input.kind === 'purpose_granted' || input.kind === 'purpose_withdrawn'
    if (needsPurpose !== (input.purpose !== null) || (input.purpose !== null && !PURPOSE.test(input.purpose)))
      throw new InvalidConsentError('purpose')
    return inTransaction(ctx, async (tx) => {
      const text = await findPublishedText(tx.db, input.policyVersionId, input.locale)
      if (!text) throw new PolicyNotFoundError()
      // Checked before anything is written (even the subject's data key): a mismatch leaves no trace.
      if (text.sha256 !== input.textSha256) throw new PolicyTextMismatchError()
      const row = {
        id: randomUUID(),
        subject_id: input.subjectId,
        given_by: input.givenBy ?? input.subjectId,
        kind: input.kind,
        purpose: input.purpose,
        policy_version_id: text.version_id,
        locale: text.locale,
        text_sha256: text.sha256,
        decided_at: tx.now,
        channel: input.channel,
        ip_ciphertext: await encrypted(tx, input.subjectId, CONSENT_IP_FIELD, tx.ip),
        user_agent_ciphertext: await encrypted(tx, input.subjectId, CONSENT_USER_AGENT_FIELD, tx.userAgent),
        evidence: input.evidence ?? {},
        signature: null as string | null,
      }
      if (input.signed && deps.sign) row.signature = deps.sign(canonicalRecord(row))
      await insertConsentRecord(tx.db, row)
      await deps.audit.record(tx, {
        action: 'consent.recorded',
        subjectType: 'user',
        subjectId: row.subject_id,
        targetType: 'consent',
        targetId: row.id,
        data: {
          kind: row.kind,
          ...(row.purpose === null ? {} : { purpose: row.purpose }),
          version: text.number,
          locale: row.locale,
          channel: row.channel,
          byRepresentative: row.given_by !== row.subject_id,
        },
      })
      return toConsentRecord(row)
    })
  }
}

/**
 * Policy versions: version 1 of the active profile's policy is loaded from
 * its files on first start and published at once (T-6.1); afterwards the
 * database is the record of what each version said, in kk, ru and en.
 * Drafting and publishing later versions (T-6.2, T-6.4, B-1.2) build on the
 * same tables.
 */
import { createHash, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import type { AuditLog } from '../../platform/audit/index'
import { inTransaction, LOCALES, type Ctx, type Locale } from '../../platform/context'
import type { Db } from '../../platform/db/database'
import type { SafeHtml } from '../../platform/views/html'
import { renderMarkdown } from './markdown'
import {
  findPublishedText,
  findVersionInForce,
  insertDraftVersion,
  insertText,
  listVersions,
  lockProfilePolicies,
  publishVersion,
} from './policies.repository'
import { policyFile, type Profile } from './profiles'

/** A published policy text as shown to people. */
export interface PolicyText {
  versionId: string
  profile: string
  number: number
  publishedAt: Date
  effectiveAt: Date
  locale: Locale
  markdown: string
  /** The text as safe HTML; headings start at `<h2>` so the page keeps its own `<h1>`. */
  html: SafeHtml
  /** Hex SHA-256 of `markdown` (UTF-8): what a consent record cites as the text shown. */
  sha256: string
}

export interface PolicyServiceDeps {
  audit: Pick<AuditLog, 'record'>
}

export interface PolicyService {
  /** Loads and publishes version 1 from the profile's files unless the profile has a version already (idempotent). */
  ensureInitialPolicy(ctx: Ctx, profile: Profile): Promise<{ created: boolean; versionId: string }>
  /** The version of the profile's policy that governs at `at`, in `locale`; undefined before any is in force. */
  currentPolicy(db: Db, profileId: string, locale: Locale, at: Date): Promise<PolicyText | undefined>
  /** A published version's text in `locale`; undefined for an unknown, draft or untranslated version. */
  policyText(db: Db, versionId: string, locale: Locale): Promise<PolicyText | undefined>
}

/** Hex SHA-256 of a text's UTF-8 bytes (PostgreSQL computes the same in a CHECK). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

/** Reads a shipped policy file: UTF-8, LF line ends, Unicode NFC. */
export function readPolicyFile(file: string): string {
  return fs.readFileSync(file, 'utf8').replace(/\r\n?/g, '\n').normalize('NFC')
}

/** A published version's text in `locale`, rendered; undefined for an unknown, draft or untranslated version. */
async function readPolicyText(db: Db, versionId: string, locale: Locale): Promise<PolicyText | undefined> {
  const row = await findPublishedText(db, versionId, locale)
  if (!row) return undefined
  return {
    versionId: row.version_id,
    profile: row.profile,
    number: row.number,
    publishedAt: row.published_at,
    effectiveAt: row.effective_at,
    locale: row.locale,
    markdown: row.markdown,
    html: renderMarkdown(row.markdown, { headingOffset: 1 }),
    sha256: row.sha256,
  }
}

/** Inserts version 1 as a draft with its three texts, then publishes it, in force from now (T-6.1). */
async function publishInitial(
  tx: Ctx,
  audit: PolicyServiceDeps['audit'],
  profileId: string,
  texts: readonly { locale: Locale; markdown: string }[],
): Promise<string> {
  const versionId = randomUUID()
  await insertDraftVersion(tx.db, { id: versionId, profile: profileId, number: 1, createdAt: tx.now })
  for (const { locale, markdown } of texts) {
    await insertText(tx.db, { versionId, locale, markdown, sha256: sha256Hex(markdown) })
  }
  // Version 1 replaces no earlier version, so there is nobody to give notice to (T-6.4 applies from version 2).
  await publishVersion(tx.db, versionId, tx.now, tx.now)
  await audit.record(tx, {
    action: 'policy.published',
    targetType: 'policy_version',
    targetId: versionId,
    data: { profile: profileId, version: 1, initial: true },
  })
  return versionId
}

/** Builds the policy service. */
export function createPolicyService(deps: PolicyServiceDeps): PolicyService {
  return {
    async ensureInitialPolicy(ctx, profile) {
      // Read before the transaction: a missing file fails start-up without touching the database.
      const texts = LOCALES.map((locale) => ({
        locale,
        markdown: readPolicyFile(policyFile(profile.policyDir, 1, locale)),
      }))
      return inTransaction(ctx, async (tx) => {
        // Two processes starting together: the second waits, then finds version 1.
        await lockProfilePolicies(tx.db, profile.id)
        const existing = await listVersions(tx.db, profile.id)
        if (existing[0]) return { created: false, versionId: existing[0].id }
        return { created: true, versionId: await publishInitial(tx, deps.audit, profile.id, texts) }
      })
    },

    async currentPolicy(db, profileId, locale, at) {
      const versionId = await findVersionInForce(db, profileId, at)
      return versionId === undefined ? undefined : readPolicyText(db, versionId, locale)
    },

    policyText: readPolicyText,
  }
}

/**
 * Guardians of minors (issue 3; law Arts. 7–8: under 18 the parent or
 * guardian consents). A minor invites a parent by e-mail (the address is
 * sent to, never stored); the single-use link (HMAC at rest, 48 h) lets the
 * guardian sign in or register and link to the child; the guardian then
 * accepts the policy for the child — a ledger record with `subjectId` = child
 * and `givenBy` = guardian — and the child's restriction lifts. At 18 the
 * person consents personally. Audit entries carry ids only.
 *
 * A link ends when the guardian (or an administrator) revokes it, when
 * either account closes (`endLinksOf`) and when the child, come of age,
 * consents personally. If no other guardian who consented remains, the
 * child is restricted again (`awaiting_guardian`: nothing beyond the
 * essentials) and `account.restricted` is audited.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import type { AuditLog } from '../../platform/audit/index'
import { inTransaction, type Ctx, type Locale } from '../../platform/context'
import type { FieldCrypto } from '../../platform/crypto/index'
import type { Notifications } from '../notifications/index'
import type { ConsentService } from '../privacy/index'
import { AccountsError, LinkInvalidError, NotAllowedError } from './accounts.errors'
import { insertRoles, rolesOf } from './accounts.repository'
import { normaliseEmail } from './emails'
import {
  ageFactsForUpdate,
  ageFactsOf,
  findInvitationForUpdate,
  hasOtherConsentedLink,
  liveLinksOfPerson,
  findLink,
  insertInvitation,
  isLiveGuardian,
  linksOfChild,
  linksOfGuardian,
  markConsented,
  markLinked,
  markRevoked,
  setAgeFacts,
  type GuardianLinkRow,
} from './guardians.repository'
import { almatyDate, restrictionOf } from './minors'
import { canEndGuardianLink, isSignedIn } from './policies'
import type { VerificationService } from './verification.service'

export type { GuardianLinkRow } from './guardians.repository'

/** How long a guardian invitation link works. */
export const GUARDIAN_INVITE_LIFETIME_MS = 48 * 3_600_000
const SECRET_PURPOSE = 'accounts.one_time_secret'
const SECRET_FORMAT = /^[A-Za-z0-9_-]{43}$/

export interface GuardiansDeps {
  audit: Pick<AuditLog, 'record'>
  crypto: Pick<FieldCrypto, 'blindIndex'>
  consents: Pick<ConsentService, 'recordPolicyAcceptance'>
  notifications: Pick<Notifications, 'send'>
  verification: Pick<VerificationService, 'limitSends'>
  publicUrl: string
}

/** The policy text that was shown: version, language and hash. */
export interface ShownPolicyRef {
  versionId: string
  locale: Locale
  textSha256: string
}

export interface GuardiansService {
  /** The minor (the actor) invites a parent or guardian at `email`; sends the link. */
  invite(ctx: Ctx, input: { email: string }): Promise<{ linkId: string }>
  /** The signed-in actor opens an invitation link and becomes the child's guardian. */
  accept(ctx: Ctx, secret: string): Promise<{ linkId: string; childId: string }>
  /** The linked guardian (the actor) accepts the policy for the child; the child's restriction lifts. */
  consentForChild(ctx: Ctx, input: { linkId: string; policy: ShownPolicyRef }): Promise<{ consentId: string }>
  /**
   * The guardian (or an administrator) ends the link; nothing of the child is visible to the guardian
   * afterwards, and the child is restricted again unless another guardian's consent remains.
   */
  revoke(ctx: Ctx, linkId: string): Promise<void>
  /** Ends every live link where the person is the guardian or the child (the account closes). */
  endLinksOf(ctx: Ctx, userId: string): Promise<number>
  /** The actor's live link to `linkId`'s child while the child is still a minor; undefined otherwise. */
  childLink(ctx: Ctx, linkId: string): Promise<GuardianLinkRow | undefined>
  /** The actor's live links as a guardian. */
  children(ctx: Ctx): Promise<GuardianLinkRow[]>
  /** The actor's links and invitations as a child. */
  guardiansOf(ctx: Ctx): Promise<GuardianLinkRow[]>
  /** A person turned 18 accepts the policy personally; their restriction lifts. */
  consentPersonally(ctx: Ctx, policy: ShownPolicyRef): Promise<{ consentId: string }>
  /** Is the actor a live guardian of `childId`? */
  isGuardianOf(ctx: Ctx, childId: string): Promise<boolean>
}

/** The URL a guardian opens from the invitation e-mail. */
export function guardianInviteUrl(publicUrl: string, secret: string): string {
  return new URL(`/guardian/accept?token=${encodeURIComponent(secret)}`, publicUrl).toString()
}

/** Builds the guardians service. */
export function createGuardiansService(deps: GuardiansDeps): GuardiansService {
  const { audit, crypto, consents, notifications, verification } = deps
  const hash = (secret: string) => crypto.blindIndex(`guardian|${secret}`, SECRET_PURPOSE)

  function actorId(ctx: Ctx): string {
    if (!isSignedIn(ctx.actor)) throw new NotAllowedError()
    return ctx.actor.id
  }

  /**
   * Ends a live link in `tx` (law Arts. 7–8): without another guardian's consent the child waits for a
   * guardian again. `by` says how it ended (a code, never personal data).
   */
  async function endLink(
    tx: Ctx,
    link: GuardianLinkRow,
    by: 'guardian' | 'admin' | 'account_closed' | 'came_of_age',
  ): Promise<void> {
    const facts = await ageFactsForUpdate(tx.db, link.child_id)
    await markRevoked(tx.db, { id: link.id, now: tx.now })
    await audit.record(tx, {
      action: 'guardian.revoked',
      subjectType: 'user',
      subjectId: link.child_id,
      data: { linkId: link.id, by },
    })
    if (facts?.guardian_state !== 'guardian_consented' || facts.adult_on === null) return
    if (await hasOtherConsentedLink(tx.db, link.child_id, link.id)) return
    await setAgeFacts(tx.db, {
      userId: link.child_id,
      facts: { adult_on: facts.adult_on, guardian_state: 'awaiting_guardian' },
      now: tx.now,
    })
    await audit.record(tx, {
      action: 'account.restricted',
      subjectType: 'user',
      subjectId: link.child_id,
      data: { linkId: link.id, reason: 'guardian_link_ended' },
    })
  }

  async function ownLink(ctx: Ctx, linkId: string): Promise<GuardianLinkRow> {
    const guardianId = actorId(ctx)
    const link = await findLink(ctx.db, linkId)
    // Another guardian's link and an unknown id look the same.
    if (!link || link.guardian_id !== guardianId || !['linked', 'consented'].includes(link.status))
      throw new NotAllowedError()
    return link
  }

  return {
    async invite(ctx, input) {
      const childId = actorId(ctx)
      const facts = await ageFactsOf(ctx.db, childId)
      if (!facts?.guardian_state) throw new NotAllowedError()
      const email = normaliseEmail(input.email)
      await verification.limitSends(ctx, childId, 'email_link')
      return inTransaction(ctx, async (tx) => {
        const secret = randomBytes(32).toString('base64url')
        const linkId = randomUUID()
        const expiresAt = new Date(tx.now.getTime() + GUARDIAN_INVITE_LIFETIME_MS)
        await insertInvitation(tx.db, { id: linkId, childId, tokenHash: hash(secret), expiresAt, now: tx.now })
        await notifications.send(tx, {
          subjectId: childId,
          channel: 'email',
          to: email,
          template: 'accounts.guardian_invite',
          locale: tx.locale,
          params: { link: guardianInviteUrl(deps.publicUrl, secret) },
        })
        await audit.record(tx, {
          action: 'guardian.invited',
          subjectType: 'user',
          subjectId: childId,
          data: { linkId },
        })
        return { linkId }
      })
    },

    async accept(ctx, secret) {
      const guardianId = actorId(ctx)
      if (!SECRET_FORMAT.test(secret)) throw new LinkInvalidError()
      return inTransaction(ctx, async (tx) => {
        const link = await findInvitationForUpdate(tx.db, hash(secret))
        if (!link || !link.token_expires_at || link.token_expires_at.getTime() <= tx.now.getTime())
          throw new LinkInvalidError()
        if (link.child_id === guardianId) throw new AccountsError('accounts.guardian_self', 'Own invitation', 400)
        await markLinked(tx.db, { id: link.id, guardianId, now: tx.now })
        if (!(await rolesOf(tx.db, guardianId)).includes('guardian')) {
          await insertRoles(tx.db, {
            userId: guardianId,
            roles: ['guardian'],
            grantedAt: tx.now,
            grantedBy: guardianId,
          })
          await audit.record(tx, {
            action: 'role.granted',
            subjectType: 'user',
            subjectId: guardianId,
            data: { role: 'guardian' },
          })
        }
        await audit.record(tx, {
          action: 'guardian.linked',
          subjectType: 'user',
          subjectId: link.child_id,
          data: { linkId: link.id, guardianId },
        })
        return { linkId: link.id, childId: link.child_id }
      })
    },

    async consentForChild(ctx, input) {
      const link = await ownLink(ctx, input.linkId)
      const guardianId = link.guardian_id!
      return inTransaction(ctx, async (tx) => {
        const consent = await consents.recordPolicyAcceptance(tx, {
          subjectId: link.child_id,
          givenBy: guardianId,
          policyVersionId: input.policy.versionId,
          locale: input.policy.locale,
          textSha256: input.policy.textSha256,
          channel: 'web',
          evidence: { on_behalf_of_minor: true },
        })
        await markConsented(tx.db, { id: link.id, consentId: consent.id, now: tx.now })
        const facts = await ageFactsOf(tx.db, link.child_id)
        if (facts?.guardian_state === 'awaiting_guardian')
          await setAgeFacts(tx.db, {
            userId: link.child_id,
            facts: { adult_on: facts.adult_on, guardian_state: 'guardian_consented' },
            now: tx.now,
          })
        await audit.record(tx, {
          action: 'guardian.consented',
          subjectType: 'user',
          subjectId: link.child_id,
          data: { linkId: link.id, consentId: consent.id },
        })
        return { consentId: consent.id }
      })
    },

    async revoke(ctx, linkId) {
      actorId(ctx)
      const link = await findLink(ctx.db, linkId)
      // Another guardian's link and an unknown id look the same.
      if (!link || !['linked', 'consented'].includes(link.status) || !canEndGuardianLink(ctx.actor, link))
        throw new NotAllowedError()
      const by = link.guardian_id === ctx.actor?.id ? 'guardian' : 'admin'
      await inTransaction(ctx, async (tx) => {
        const live = await findLink(tx.db, link.id)
        if (live && ['linked', 'consented'].includes(live.status)) await endLink(tx, live, by)
      })
    },

    async endLinksOf(ctx, userId) {
      return inTransaction(ctx, async (tx) => {
        const links = await liveLinksOfPerson(tx.db, userId)
        for (const link of links) await endLink(tx, link, 'account_closed')
        return links.length
      })
    },

    async childLink(ctx, linkId) {
      if (!isSignedIn(ctx.actor)) return undefined
      const link = await findLink(ctx.db, linkId)
      if (!link || link.guardian_id !== ctx.actor.id || !['linked', 'consented'].includes(link.status)) return undefined
      // A guardian represents a minor only: from the 18th birthday (Almaty) the person speaks for themselves.
      const facts = await ageFactsOf(ctx.db, link.child_id)
      if (!facts?.guardian_state || !facts.adult_on || almatyDate(ctx.now) >= facts.adult_on) return undefined
      return link
    },

    async children(ctx) {
      return linksOfGuardian(ctx.db, actorId(ctx))
    },

    async guardiansOf(ctx) {
      return linksOfChild(ctx.db, actorId(ctx))
    },

    async consentPersonally(ctx, policy) {
      const id = actorId(ctx)
      const facts = await ageFactsOf(ctx.db, id)
      if (!facts || restrictionOf(facts, ctx.now) !== 'personal_consent_due') throw new NotAllowedError()
      return inTransaction(ctx, async (tx) => {
        const consent = await consents.recordPolicyAcceptance(tx, {
          subjectId: id,
          policyVersionId: policy.versionId,
          locale: policy.locale,
          textSha256: policy.textSha256,
          channel: 'web',
          evidence: { came_of_age: true },
        })
        await setAgeFacts(tx.db, { userId: id, facts: { adult_on: null, guardian_state: null }, now: tx.now })
        await audit.record(tx, {
          action: 'account.adult_consented',
          subjectType: 'user',
          subjectId: id,
          data: { consentId: consent.id },
        })
        // Of age, the person speaks for themselves: their guardians' links end (they stay free).
        for (const link of await liveLinksOfPerson(tx.db, id))
          if (link.child_id === id) await endLink(tx, link, 'came_of_age')
        return { consentId: consent.id }
      })
    },

    async isGuardianOf(ctx, childId) {
      return isSignedIn(ctx.actor) && isLiveGuardian(ctx.db, ctx.actor.id, childId)
    },
  }
}

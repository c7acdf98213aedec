/**
 * Coming of age (issue 3; law Arts. 7–8): until 18 a parent or guardian
 * consents for the person; from the 18th birthday (Almaty calendar) they
 * must consent personally. The restriction itself needs no job (it is
 * computed from the clock at every request, minors.ts), but the person
 * would learn of it only on their next visit: the `ask-personal-consent`
 * job e-mails them on the day, once, in their language, a link to the page
 * where they consent (`/account/guardian`). Audited by id only.
 */
import type { AuditLog } from '../../platform/audit/index'
import { inTransaction, LOCALES, type Ctx, type Locale } from '../../platform/context'
import type { Notifications } from '../notifications/index'
import type { ConsentService } from '../privacy/index'
import type { AccountsService } from './accounts.service'
import { dueAdultConsentAsks, markAdultConsentAsked } from './guardians.repository'
import { almatyDate } from './minors'

/** How many people one run asks at most (the next run, a day later, takes the rest). */
export const ADULT_CONSENT_BATCH = 500
/** The page a person come of age consents on (sign-in first, coming back). */
export const PERSONAL_CONSENT_PATH = '/account/guardian'

export interface MinorsDeps {
  audit: Pick<AuditLog, 'record'>
  accounts: Pick<AccountsService, 'getEmail'>
  consents: Pick<ConsentService, 'recordsOf'>
  notifications: Pick<Notifications, 'send'>
  publicUrl: string
}

export interface MinorsService {
  /**
   * E-mails everyone who has come of age today (or earlier) without consenting personally and was not
   * asked yet; marks each as asked (also when they have no address). Returns how many were e-mailed.
   */
  askAdultsToConsent(ctx: Ctx, limit?: number): Promise<{ emailed: number; withoutEmail: number }>
}

/** The person's language: of their newest own consent decision, else of any decision recorded for them, else kk. */
export function languageOf(records: readonly { subjectId: string; givenBy: string; locale: string }[]): Locale {
  const own = records.filter((r) => r.givenBy === r.subjectId)
  const newest = (own.length > 0 ? own : records).at(-1)?.locale
  return (LOCALES as readonly string[]).includes(newest ?? '') ? (newest as Locale) : 'kk'
}

export function createMinorsService(deps: MinorsDeps): MinorsService {
  const { audit, accounts, consents, notifications } = deps
  const link = new URL(PERSONAL_CONSENT_PATH, deps.publicUrl).toString()

  return {
    async askAdultsToConsent(ctx, limit = ADULT_CONSENT_BATCH) {
      return inTransaction(ctx, async (tx) => {
        let emailed = 0
        let withoutEmail = 0
        for (const userId of await dueAdultConsentAsks(tx.db, almatyDate(tx.now), limit)) {
          const email = await accounts.getEmail(tx, userId)
          if (email) {
            const locale = languageOf(await consents.recordsOf(tx.db, userId))
            await notifications.send(tx, {
              subjectId: userId,
              channel: 'email',
              to: email,
              template: 'accounts.adult_consent',
              locale,
              params: { link },
            })
            emailed++
          } else withoutEmail++
          await markAdultConsentAsked(tx.db, userId, tx.now)
          await audit.record(tx, {
            action: 'account.adult_consent_asked',
            subjectType: 'user',
            subjectId: userId,
            data: { emailed: Boolean(email) },
          })
        }
        return { emailed, withoutEmail }
      })
    },
  }
}

/**
 * Withdrawal of consent to processing (T-5.1.3, B-2.5, law Art. 8(2)): an
 * authenticated act confirmed by the account's password, recorded in the
 * ledger as `consent_withdrawn` with a signed receipt (signatures.ts). What
 * it does is the profile's: Talap stops the processing that needs consent
 * (`stop_processing`); BTS suspends or ends the User Agreement
 * (`suspend_or_end_agreement`, the person chooses which). Where the law or
 * an unfulfilled obligation prevents it (an unpaid order…), `obligations`
 * names the reasons and the withdrawal is refused stating them. A guardian
 * withdraws for a minor with `givenBy`.
 */
import type { AuditLog } from '../../platform/audit/index'
import { inTransaction, type Ctx, type Locale } from '../../platform/context'
import { latestDecisions } from './consents.repository'
import type { ConsentRecord, ConsentService } from './consents.service'
import type { PolicyService } from './policies.service'
import {
  AlreadyWithdrawnError,
  PasswordIncorrectError,
  PolicyNotFoundError,
  WithdrawalRefusedError,
} from './privacy.errors'
import type { Profile } from './profiles'

export type WithdrawalEffect = 'stop_processing' | 'suspend_agreement' | 'end_agreement'

export interface WithdrawalDeps {
  profile: Profile
  audit: Pick<AuditLog, 'record'>
  consents: Pick<ConsentService, 'recordDecision'>
  policies: Pick<PolicyService, 'currentPolicy'>
  /** Checks the password of the person confirming (the accounts module's password check). */
  verifyPassword(ctx: Ctx, userId: string, password: string): Promise<boolean>
  /** Message keys of what prevents a withdrawal now (default: nothing). */
  obligations?(ctx: Ctx, subjectId: string): Promise<string[]>
  /** Called in the withdrawal's transaction, e.g. to suspend or close the account. */
  onWithdrawn?(ctx: Ctx, subjectId: string, effect: WithdrawalEffect): Promise<void>
}

export interface WithdrawalService {
  /** The effects a person may choose under the profile. */
  effects(): WithdrawalEffect[]
  /** Whether the subject's consent is withdrawn now (the newest decision is a withdrawal). */
  isWithdrawn(ctx: Ctx, subjectId: string): Promise<boolean>
  withdraw(
    ctx: Ctx,
    input: { subjectId: string; givenBy?: string; password: string; effect: WithdrawalEffect; locale: Locale },
  ): Promise<ConsentRecord>
}

export function createWithdrawalService(deps: WithdrawalDeps): WithdrawalService {
  const effects = (): WithdrawalEffect[] =>
    deps.profile.withdrawal.effect === 'stop_processing' ? ['stop_processing'] : ['suspend_agreement', 'end_agreement']

  async function isWithdrawn(ctx: Ctx, subjectId: string): Promise<boolean> {
    const [newest] = await latestDecisions(ctx.db, subjectId, [
      'consent_withdrawn',
      'policy_acceptance',
      'purpose_granted',
    ])
    return newest?.kind === 'consent_withdrawn'
  }

  return {
    effects,
    isWithdrawn,
    async withdraw(ctx, input) {
      const effect = effects().includes(input.effect) ? input.effect : effects()[0]!
      const decider = input.givenBy ?? input.subjectId
      if (!(await deps.verifyPassword(ctx, decider, input.password))) {
        await deps.audit.record(ctx, {
          action: 'consent.withdrawal_unconfirmed',
          subjectType: 'user',
          subjectId: input.subjectId,
          data: {},
        })
        throw new PasswordIncorrectError()
      }
      const reasons = (await deps.obligations?.(ctx, input.subjectId)) ?? []
      if (reasons.length > 0) {
        await deps.audit.record(ctx, {
          action: 'consent.withdrawal_refused',
          subjectType: 'user',
          subjectId: input.subjectId,
          data: { reasons: reasons.length },
        })
        throw new WithdrawalRefusedError(reasons)
      }
      return inTransaction(ctx, async (tx) => {
        if (await isWithdrawn(tx, input.subjectId)) throw new AlreadyWithdrawnError()
        const policy = await deps.policies.currentPolicy(tx.db, deps.profile.id, input.locale, tx.now)
        if (!policy) throw new PolicyNotFoundError()
        const record = await deps.consents.recordDecision(tx, {
          kind: 'consent_withdrawn',
          purpose: null,
          subjectId: input.subjectId,
          givenBy: input.givenBy,
          policyVersionId: policy.versionId,
          locale: input.locale,
          textSha256: policy.sha256,
          channel: 'web',
          evidence: { effect, confirmedBy: 'password', clauses: deps.profile.withdrawal.clauses.join(' ') },
          signed: true,
        })
        await deps.onWithdrawn?.(tx, input.subjectId, effect)
        return record
      })
    },
  }
}

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

/** The audit actions of one kind of signed act: a wrong password, and a refusal by an obligation. */
export interface SignedActAudit {
  unconfirmed: string
  refused: string
}

const WITHDRAWAL_AUDIT: SignedActAudit = {
  unconfirmed: 'consent.withdrawal_unconfirmed',
  refused: 'consent.withdrawal_refused',
}

/**
 * What every signed act of withdrawal (a withdrawal, a guardian's withdrawal for a child, closing the
 * account) passes before anything is written: the decider's password, then the obligations that prevent
 * it now (law Art. 8(2)). A wrong password throws PasswordIncorrectError; an obligation throws
 * WithdrawalRefusedError naming the reasons. Both are audited by ids only and change nothing else.
 */
export async function confirmSignedAct(
  deps: Pick<WithdrawalDeps, 'audit' | 'verifyPassword' | 'obligations'>,
  ctx: Ctx,
  input: { subjectId: string; decider: string; password: string },
  actions: SignedActAudit = WITHDRAWAL_AUDIT,
): Promise<void> {
  const subject = { subjectType: 'user', subjectId: input.subjectId }
  if (!(await deps.verifyPassword(ctx, input.decider, input.password))) {
    await deps.audit.record(ctx, { action: actions.unconfirmed, ...subject, data: {} })
    throw new PasswordIncorrectError()
  }
  const reasons = (await deps.obligations?.(ctx, input.subjectId)) ?? []
  if (reasons.length > 0) {
    await deps.audit.record(ctx, { action: actions.refused, ...subject, data: { reasons: reasons.length } })
    throw new WithdrawalRefusedError(reasons)
  }
}

/**
 * Records a signed `consent_withdrawn` decision under the policy in force in `locale` (call it inside the
 * act's transaction). `effect` says what the withdrawal does; `clauses` the clauses it rests on.
 */
export async function recordSignedWithdrawal(
  deps: Pick<WithdrawalDeps, 'profile' | 'consents' | 'policies'>,
  tx: Ctx,
  input: { subjectId: string; givenBy?: string; locale: Locale; effect: string; clauses: readonly string[] },
): Promise<ConsentRecord> {
  const policy = await deps.policies.currentPolicy(tx.db, deps.profile.id, input.locale, tx.now)
  if (!policy) throw new PolicyNotFoundError()
  return deps.consents.recordDecision(tx, {
    kind: 'consent_withdrawn',
    purpose: null,
    subjectId: input.subjectId,
    givenBy: input.givenBy,
    policyVersionId: policy.versionId,
    locale: input.locale,
    textSha256: policy.sha256,
    channel: 'web',
    evidence: {
      effect: input.effect,
      confirmedBy: 'password',
      clauses: input.clauses.join(' '),
      ...(input.givenBy && input.givenBy !== input.subjectId ? { on_behalf_of_minor: true } : {}),
    },
    signed: true,
  })
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
      await confirmSignedAct(deps, ctx, { subjectId: input.subjectId, decider, password: input.password })
      return inTransaction(ctx, async (tx) => {
        if (await isWithdrawn(tx, input.subjectId)) throw new AlreadyWithdrawnError()
        const record = await recordSignedWithdrawal(deps, tx, {
          subjectId: input.subjectId,
          givenBy: input.givenBy,
          locale: input.locale,
          effect,
          clauses: deps.profile.withdrawal.clauses,
        })
        await deps.onWithdrawn?.(tx, input.subjectId, effect)
        return record
      })
    },
  }
}

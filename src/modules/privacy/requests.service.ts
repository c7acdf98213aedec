/**
 * The DPO's desk for data change requests (T-5.2.2: the IIN and legal names
 * change only through a request the DPO decides). The requests themselves
 * live in the accounts module (corrections.service.ts: `listForDpo`,
 * `getForDecision` — audited `account.change_request_viewed` — and
 * `decide`), passed in as `requests`; this module adds what the desk needs
 * around them: a refusal states its reason, and the requester is told by
 * e-mail, in their language, in the decision's transaction — the message
 * carries a link to their account page only, never the value or the note.
 */
import { inTransaction, type Ctx, type Locale } from '../../platform/context'
import { latestLocaleOf } from './consents.repository'
import { NoteRequiredError } from './privacy.errors'

export const CHANGE_REQUEST_STATUSES = ['open', 'approved', 'rejected'] as const
export type DeskRequestStatus = (typeof CHANGE_REQUEST_STATUSES)[number]
export const NOTE_MAX_LENGTH = 1000

/** A request in the queue: no value, no reason. */
export interface DeskRequest {
  id: string
  userId: string
  field: string
  status: DeskRequestStatus
  createdAt: Date
  decidedAt: Date | null
}

/** A request opened to decide it: the requested value, the reason and the current value. */
export interface OpenedRequest extends DeskRequest {
  value: string
  reason: string | null
  current: string | null
}

/** What the accounts module's corrections service offers the desk. */
export interface ChangeRequestSource {
  listForDpo(ctx: Ctx, query?: { status?: DeskRequestStatus; page?: number }): Promise<DeskRequest[]>
  getForDecision(ctx: Ctx, id: string): Promise<OpenedRequest>
  decide(
    ctx: Ctx,
    id: string,
    decision: 'approve' | 'reject',
    note?: string,
  ): Promise<{ status: 'approved' | 'rejected' }>
}

/** The notifications module's `send`, for the decision e-mail. */
export type SendDecision = (
  ctx: Ctx,
  input: {
    subjectId: string
    channel: 'email'
    to: string
    template: 'privacy.change_request_decided'
    locale: Locale
    params: { link: string }
  },
) => Promise<{ id: string }>

export interface ChangeRequestDeskDeps {
  requests: ChangeRequestSource
  /** Whose request it is (accounts), or undefined for an unknown id. */
  requesterOf(ctx: Ctx, requestId: string): Promise<string | undefined>
  /** The person's full name, shown once the DPO opens a request. */
  nameOf(ctx: Ctx, userId: string): Promise<string | null>
  emailOf(ctx: Ctx, userId: string): Promise<string | undefined>
  send: SendDecision
  publicUrl: string
}

export interface ChangeRequestDesk {
  /** A page of requests with `status`, oldest first, and whether a further page exists. */
  list(ctx: Ctx, status: DeskRequestStatus, page: number): Promise<{ requests: DeskRequest[]; more: boolean }>
  /** Opens one request (audited by accounts) with the requester's name. */
  open(ctx: Ctx, id: string): Promise<OpenedRequest & { name: string | null }>
  /** Decides it: a refusal needs its reason; the requester is e-mailed in the same transaction. */
  decide(
    ctx: Ctx,
    id: string,
    decision: 'approve' | 'reject',
    note: string,
  ): Promise<{ status: 'approved' | 'rejected' }>
}

export function createChangeRequestDesk(deps: ChangeRequestDeskDeps): ChangeRequestDesk {
  const { requests } = deps
  return {
    async list(ctx, status, page) {
      const list = await requests.listForDpo(ctx, { status, page })
      const next = list.length > 0 ? await requests.listForDpo(ctx, { status, page: page + 1 }) : []
      return { requests: list, more: next.length > 0 }
    },

    async open(ctx, id) {
      const request = await requests.getForDecision(ctx, id)
      return { ...request, name: await deps.nameOf(ctx, request.userId) }
    },

    async decide(ctx, id, decision, note) {
      const trimmed = note.normalize('NFC').trim()
      if ((decision === 'reject' && trimmed === '') || [...trimmed].length > NOTE_MAX_LENGTH)
        throw new NoteRequiredError()
      return inTransaction(ctx, async (tx) => {
        const result = await requests.decide(tx, id, decision, trimmed === '' ? undefined : trimmed)
        const userId = await deps.requesterOf(tx, id)
        const to = userId ? await deps.emailOf(tx, userId) : undefined
        if (userId && to)
          await deps.send(tx, {
            subjectId: userId,
            channel: 'email',
            to,
            template: 'privacy.change_request_decided',
            locale: (await latestLocaleOf(tx.db, userId)) ?? 'kk',
            params: { link: new URL('/account', deps.publicUrl).toString() },
          })
        return result
      })
    },
  }
}

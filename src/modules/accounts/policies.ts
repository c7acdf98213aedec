/**
 * Who may do what with accounts: small pure functions of the actor and the
 * thing acted on, checked by every route before it calls a service. For
 * now a person sees and acts on their own account and sessions only; staff
 * access (need-to-know, B-3.4) comes with the rights desk and is audited.
 */
import type { Actor } from '../../platform/context'

/** A signed-in person (not a system actor, not anonymous). */
export type UserActor = Actor & { kind: 'user' }

/** True when the actor is a signed-in person. */
export function isSignedIn(actor: Actor | null | undefined): actor is UserActor {
  return actor?.kind === 'user' && actor.id.length > 0
}

const isSelf = (actor: Actor | null | undefined, userId: string) => isSignedIn(actor) && actor.id === userId

/**
 * May see the account's profile (masked identifiers), its consents and
 * receipts: its owner, and a guardian of a minor for that child only —
 * `wards` are the ids of the actor's live guardian links (guardians.service
 * `children`), loaded by the route. Nobody else.
 */
export function canViewAccount(
  actor: Actor | null | undefined,
  userId: string,
  wards: readonly string[] = [],
): boolean {
  return isSelf(actor, userId) || (isSignedIn(actor) && actor.roles.includes('guardian') && wards.includes(userId))
}

/** May see the account's sessions and login history (B-2.2): its owner only. */
export function canViewSessions(actor: Actor | null | undefined, userId: string): boolean {
  return isSelf(actor, userId)
}

/** May end a session: the person it belongs to. */
export function canRevokeSession(actor: Actor | null | undefined, session: { userId: string }): boolean {
  return isSelf(actor, session.userId)
}

/**
 * May see the queue of data change requests, open one and decide it
 * (T-5.2.2): the DPO. Every opening and decision is audited.
 */
export function canDecideChangeRequests(actor: Actor | null | undefined): boolean {
  return isSignedIn(actor) && actor.roles.includes('dpo')
}

/** May change the account's own data, file a correction request, upload or remove the avatar: its owner. */
export function canEditAccount(actor: Actor | null | undefined, userId: string): boolean {
  return isSelf(actor, userId)
}

/**
 * May act for a child's account — see its data masked, correct what the
 * child may correct, switch its optional purposes: a guardian for their own
 * live children who are still minors only (`wards`, loaded by the route
 * through guardians.service `childLink`). Nobody else, not another guardian.
 */
export function canActForChild(actor: Actor | null | undefined, childId: string, wards: readonly string[]): boolean {
  return isSignedIn(actor) && actor.id !== childId && actor.roles.includes('guardian') && wards.includes(childId)
}

/** May end a guardian link: its guardian, or an administrator (the link ends for the child too). */
export function canEndGuardianLink(actor: Actor | null | undefined, link: { guardian_id: string | null }): boolean {
  return isSignedIn(actor) && (link.guardian_id === actor.id || actor.roles.includes('admin'))
}

/**
 * May see an account's avatar: for now its owner only. Classmates and
 * teachers will see it once courses show participants (that relation does
 * not exist yet), through this policy.
 */
export function canViewAvatar(actor: Actor | null | undefined, userId: string): boolean {
  return isSelf(actor, userId)
}

/**
 * May the actor's data be processed beyond the essentials — enrolling,
 * learning, turning optional purposes on or off? Not while they are a minor
 * awaiting a guardian's consent, nor once turned 18 until they consent
 * personally (law Arts. 7–8; minors.ts). Every module relies on this one
 * function; the authentication layer already refuses such requests.
 */
export function mayProcess(actor: Actor | null | undefined): boolean {
  return actor?.restricted === undefined
}

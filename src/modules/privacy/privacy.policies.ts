/** Who may do what in the privacy module: small pure functions of the actor, checked by every route. */
import type { Actor } from '../../platform/context'

/** A signed-in person. */
export function isPerson(actor: Actor | null | undefined): actor is Actor & { kind: 'user' } {
  return actor?.kind === 'user' && actor.id.length > 0
}

/** The DPO's desk (drafts, publication, notices, complaints): the `dpo` role only. */
export function canUseDpoDesk(actor: Actor | null | undefined): boolean {
  return isPerson(actor) && actor.roles.includes('dpo')
}

/** The privacy centre shows and changes the signed-in person's own decisions only. */
export function canUsePrivacyCentre(actor: Actor | null | undefined, subjectId: string): boolean {
  return isPerson(actor) && actor.id === subjectId
}

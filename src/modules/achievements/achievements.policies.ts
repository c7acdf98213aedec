/**
 * Who may do what with achievements: pure functions of the actor, checked
 * by every route and service. Verifying a code is public (anyone holding
 * the code may check it); everything else is the learner's own or an
 * administrator's.
 */
import type { Actor } from '../../platform/context'

const isUser = (actor: Actor | null | undefined): actor is Actor & { kind: 'user' } =>
  actor?.kind === 'user' && actor.id.length > 0

const isAdmin = (actor: Actor | null | undefined) => isUser(actor) && actor.roles.includes('admin')

/** May list a learner's badges and certificates: the learner, an admin, or the system (exports, jobs). */
export function canReadAchievements(actor: Actor | null | undefined, learnerId: string | null): boolean {
  if (actor?.kind === 'system') return true
  return isUser(actor) && ((learnerId !== null && actor.id === learnerId) || isAdmin(actor))
}

/** May download a certificate's PDF: its holder or an admin. */
export function canDownloadCertificate(actor: Actor | null | undefined, certificate: { learnerId: string | null }) {
  return isUser(actor) && ((certificate.learnerId !== null && actor.id === certificate.learnerId) || isAdmin(actor))
}

/** May open the staff page of a certificate and revoke it: an admin. */
export function canManageCertificates(actor: Actor | null | undefined): boolean {
  return isAdmin(actor)
}

/**
 * Who may do what with courses: small pure rules over the actor and the
 * course's links to people. The system actor (seeding, CLI) may do all.
 */
import type { Actor } from '../../platform/context'

/** The facts about a course the rules need. */
export interface CourseAccessFacts {
  createdBy: string | null
  instructorUserIds: readonly string[]
}

const isSystem = (actor: Actor | null): boolean => actor?.kind === 'system'
const isUser = (actor: Actor | null): actor is Actor => actor?.kind === 'user'
const hasRole = (actor: Actor | null, role: string): boolean => isUser(actor) && actor.roles.some((r) => r === role)

/** Admins and instructors create courses (the system seeds demo ones). */
export function canCreateCourse(actor: Actor | null): boolean {
  return isSystem(actor) || hasRole(actor, 'admin') || hasRole(actor, 'instructor')
}

/** Admins change any course; an instructor changes the courses they created or teach. */
export function canEditCourse(actor: Actor | null, course: CourseAccessFacts): boolean {
  if (isSystem(actor) || hasRole(actor, 'admin')) return true
  if (!isUser(actor) || !hasRole(actor, 'instructor')) return false
  return course.createdBy === actor.id || course.instructorUserIds.includes(actor.id)
}

/** Seeing a draft is editing's privilege: the public sees published and archived courses only. */
export function canPreviewCourse(actor: Actor | null, course: CourseAccessFacts): boolean {
  return canEditCourse(actor, course)
}

/** Only the system marks content as demo, so a real course is never shown with the badge by mistake. */
export function canMarkDemo(actor: Actor | null): boolean {
  return isSystem(actor)
}

/**
 * Seeing a course's learners and their progress is need-to-know (B-3.4): the
 * course's own instructors (creator or named) and admins — names and progress
 * only, never contact data or IIN.
 */
export function canSeeLearners(actor: Actor | null, course: CourseAccessFacts): boolean {
  if (!isUser(actor)) return false
  if (hasRole(actor, 'admin')) return true
  return hasRole(actor, 'instructor') && (course.createdBy === actor.id || course.instructorUserIds.includes(actor.id))
}

/** Whether the actor is a signed-in person (learning records belong to people, not the system). */
export function isLearner(actor: Actor | null): actor is Actor {
  return isUser(actor)
}

/**
 * The demo people of embedded mode: one instructor and one learner, with
 * known demo passwords that the composition root prints to the log at start
 * — only in demo mode on the embedded database, never in production. Made
 * through the accounts module's public API; found again by e-mail on restart.
 */
import type { Ctx } from '../../platform/context'
import type { AccountsService } from '../accounts/index'

export interface DemoPerson {
  role: 'instructor' | 'learner'
  email: string
  password: string
}

/** Clearly demo: the addresses say so and the passwords are public (they are in the source). */
export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { role: 'instructor', email: 'demo.instructor@demo.oqu.kz', password: 'demo-instructor-oqu' },
  { role: 'learner', email: 'demo.learner@demo.oqu.kz', password: 'demo-learner-oqu' },
]

/** Creates the demo people that do not exist yet; returns each one's account id. */
export async function seedDemoPeople(
  ctx: Ctx,
  accounts: Pick<AccountsService, 'createAccount' | 'findByEmail'>,
): Promise<{ instructorId: string; learnerId: string }> {
  const ids: Record<DemoPerson['role'], string> = { instructor: '', learner: '' }
  for (const p of DEMO_PEOPLE) {
    const existing = await accounts.findByEmail(ctx, p.email)
    ids[p.role] = existing
      ? existing.id
      : (await accounts.createAccount(ctx, { email: p.email, password: p.password, roles: [p.role] })).id
  }
  return { instructorId: ids.instructor, learnerId: ids.learner }
}

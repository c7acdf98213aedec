/**
 * Who the privacy module writes to and who counts as "active" (B-1.2),
 * read from the accounts module's tables. A stand-in until accounts exports
 * a directory: these two read-only queries are the whole of it, behind the
 * `PeopleDirectory` interface services take, so accounts can replace them.
 */
import { sql } from 'kysely'
import type { Db } from '../../platform/db/database'

export interface PeopleDirectory {
  /** Ids of active accounts after `afterId` (in id order), at most `limit`: notices and announcements go in batches. */
  recipients(db: Db, afterId: string | null, limit: number): Promise<string[]>
  /** The newest `sessions.last_seen_at` of each of `userIds` that is at or after `since`. */
  lastSeenSince(db: Db, userIds: readonly string[], since: Date): Promise<Map<string, Date>>
  /**
   * Those of `userIds` who consent for themselves. A minor's consent is given
   * by the guardian (law Arts. 7–8), and at 18 the person consents personally
   * before anything else: until then (accounts' `guardian_state` is set) use
   * of the site is nobody's acceptance of a policy.
   */
  selfConsenting(db: Db, userIds: readonly string[]): Promise<Set<string>>
}

export const sqlPeopleDirectory: PeopleDirectory = {
  async recipients(db, afterId, limit) {
    const rows = await sql<{ id: string }>`select id from users
      where status = 'active' and (${afterId}::uuid is null or id > ${afterId}::uuid)
      order by id limit ${limit}`.execute(db)
    return rows.rows.map((r) => r.id)
  },
  async lastSeenSince(db, userIds, since) {
    if (userIds.length === 0) return new Map()
    const rows = await sql<{ user_id: string; seen: Date }>`select user_id, max(last_seen_at) as seen from sessions
      where user_id in (${sql.join(userIds)}) and last_seen_at >= ${since}
      group by user_id`.execute(db)
    return new Map(rows.rows.map((r) => [r.user_id, new Date(r.seen)]))
  },
  async selfConsenting(db, userIds) {
    if (userIds.length === 0) return new Set()
    const rows = await sql<{ id: string }>`select id from users
      where id in (${sql.join(userIds)}) and guardian_state is null`.execute(db)
    return new Set(rows.rows.map((r) => r.id))
  },
}

/**
 * A small LRU cache of unwrapped data keys, so that reading many values of
 * one subject does not go to the database each time. Entries expire after a
 * short TTL because another process may destroy a key (crypto-shredding):
 * that process evicts its own cache at once, this one within the TTL.
 * Evicted keys are zeroed.
 */
export interface CachedKey {
  dek: Buffer
  /** The wrapped form it came from: a different one in the database means the cache is stale. */
  wrapped: string
}

export interface KeyCache {
  get(subjectId: string, version: number): CachedKey | undefined
  set(subjectId: string, version: number, entry: CachedKey): void
  evictSubject(subjectId: string): void
  evict(subjectId: string, version: number): void
  clear(): void
  readonly size: number
}

export interface KeyCacheOptions {
  /** Most keys held (default 1000). */
  max?: number
  /** Lifetime of an entry in ms (default 30 s). */
  ttlMs?: number
  now?: () => number
}

/** Creates a bounded, expiring LRU of data keys. */
export function createKeyCache(options: KeyCacheOptions = {}): KeyCache {
  const max = Math.max(1, options.max ?? 1000)
  const ttlMs = options.ttlMs ?? 30_000
  const now = options.now ?? Date.now
  const entries = new Map<string, CachedKey & { expires: number; subjectId: string }>()
  const keyOf = (subjectId: string, version: number) => `${version}\u0000${subjectId}`
  const drop = (key: string) => {
    const entry = entries.get(key)
    if (!entry) return
    entries.delete(key)
    entry.dek.fill(0)
  }
  return {
    get(subjectId, version) {
      const key = keyOf(subjectId, version)
      const entry = entries.get(key)
      if (!entry) return undefined
      if (entry.expires <= now()) {
        drop(key)
        return undefined
      }
      // Map keeps insertion order: re-inserting marks the entry most recently used.
      entries.delete(key)
      entries.set(key, entry)
      return entry
    },
    set(subjectId, version, entry) {
      const key = keyOf(subjectId, version)
      const old = entries.get(key)
      if (old && old.dek !== entry.dek) old.dek.fill(0)
      entries.delete(key)
      entries.set(key, { ...entry, subjectId, expires: now() + ttlMs })
      while (entries.size > max) drop(entries.keys().next().value as string)
    },
    evictSubject(subjectId) {
      for (const [key, entry] of entries) if (entry.subjectId === subjectId) drop(key)
    },
    evict: (subjectId, version) => drop(keyOf(subjectId, version)),
    clear() {
      for (const key of [...entries.keys()]) drop(key)
    },
    get size() {
      return entries.size
    },
  }
}

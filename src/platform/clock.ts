/** The injectable clock: all "now" in Oqu comes from here so tests can travel in time. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock for tests: starts at `start` and moves only when told. */
export interface TestClock extends Clock {
  set(at: Date | string): void
  advance(ms: number): void
  advanceDays(days: number): void
}

export function createTestClock(start: Date | string = '2026-01-15T09:00:00+05:00'): TestClock {
  let current = new Date(start)
  return {
    now: () => new Date(current),
    set: (at) => {
      current = new Date(at)
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms)
    },
    advanceDays: (days) => {
      current = new Date(current.getTime() + days * 86_400_000)
    },
  }
}

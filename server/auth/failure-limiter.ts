/**
 * Counts failed sign-ins per account in memory: after `max` failures inside `windowMs` the
 * account answers 429 until the window passes. Per process, which is enough to make online
 * guessing slow; a shared store would be needed to enforce it across many instances.
 */
export function createFailureLimiter(opts: { max: number; windowMs: number; clock: () => Date }) {
  const failures = new Map<string, { count: number; since: number }>();

  function current(key: string) {
    const entry = failures.get(key);
    if (entry && opts.clock().getTime() - entry.since >= opts.windowMs) {
      failures.delete(key);
      return undefined;
    }
    return entry;
  }

  return {
    /** Milliseconds until the key may try again; 0 when it may try now. */
    blockedFor(key: string): number {
      const entry = current(key);
      if (!entry || entry.count < opts.max) return 0;
      return entry.since + opts.windowMs - opts.clock().getTime();
    },
    record(key: string): void {
      const entry = current(key);
      if (entry) entry.count += 1;
      else failures.set(key, { count: 1, since: opts.clock().getTime() });
      if (failures.size > 100_000) failures.clear();
    },
    clear(key: string): void {
      failures.delete(key);
    },
  };
}

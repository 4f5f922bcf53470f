/**
 * Counts events (failed sign-ins, sign-ups) per key in memory: after `max` inside
 * `windowMs` the key answers 429 until its window passes. Per process, which is enough to
 * make online guessing slow; a shared store would be needed to enforce it across many
 * instances. At most `maxKeys` keys are kept: beyond that the oldest windows are dropped
 * first (never all at once, which would let a flood of new keys reset every counter).
 */
export function createFailureLimiter(opts: {
  max: number;
  windowMs: number;
  clock: () => Date;
  maxKeys?: number;
}) {
  const maxKeys = opts.maxKeys ?? 100_000;
  // Insertion order is window-start order: the first keys are the oldest windows.
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
      if (entry) {
        entry.count += 1;
        return;
      }
      failures.set(key, { count: 1, since: opts.clock().getTime() });
      for (const oldest of failures.keys()) {
        if (failures.size <= maxKeys) break;
        failures.delete(oldest);
      }
    },
    clear(key: string): void {
      failures.delete(key);
    },
  };
}

export type FailureLimiter = ReturnType<typeof createFailureLimiter>;

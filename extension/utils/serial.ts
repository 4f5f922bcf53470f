/**
 * Runs read-modify-write steps on one storage item one after another. Storage has no
 * transactions, so two overlapping updates (a sync page landing while a save is delivered)
 * would otherwise both read the old value and the second write would drop the first.
 */
export function createSerialQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  return function run<T>(step: () => Promise<T>): Promise<T> {
    const result = tail.then(step, step);
    tail = result.catch(() => undefined);
    return result;
  };
}

/**
 * Coalesces calls to an async job: while it runs, further calls share one follow-up run
 * instead of starting a second copy in parallel (two flushes must never send the same
 * entry twice at once) or being lost (work that arrived mid-run still gets done).
 */
export function createSingleFlight<T>(job: () => Promise<T>) {
  let running: Promise<T> | null = null;
  let again: Promise<T> | null = null;
  return function trigger(): Promise<T> {
    if (!running) {
      running = job().finally(() => {
        running = null;
      });
      return running;
    }
    again ??= running
      .catch(() => undefined)
      .then(() => {
        again = null;
        return trigger();
      });
    return again;
  };
}

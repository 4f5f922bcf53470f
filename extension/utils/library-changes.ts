import { libraryRevisionItem } from './storage';

/**
 * One signal for "the mirror or the outbox changed", raised by the two places that write
 * them (sync.ts, outbox.ts) and by sign-in and sign-out. The background's in-memory
 * library (library-index.ts) compares `generation` to know its copy is stale without
 * reading storage again; pages watch the small session item instead of the collection.
 */

let generation = 0;
let pending: ReturnType<typeof setTimeout> | undefined;

export const libraryGeneration = (): number => generation;

export function libraryChanged(): void {
  generation++;
  // Several writes in a row (a save: outbox, then mirror, then outbox) make one signal.
  clearTimeout(pending);
  pending = setTimeout(() => {
    void libraryRevisionItem.setValue(Date.now() * 1000 + (generation % 1000)).catch(() => undefined);
  }, 20);
}

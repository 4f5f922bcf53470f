import { send, type ExtensionState, type LatestItem, type Responses } from './messages';
import { lastSaveItem, libraryRevisionItem, sessionItem, syncStatusItem } from './storage';

/**
 * The popup's and options page's view of the extension, kept fresh: the background owns
 * the data and answers `getState`/`listLatest`; this class re-asks whenever the stored
 * state changes (a save landed, a sync finished, another page signed out).
 */
export class AppState {
  state = $state<ExtensionState | null>(null);
  latest = $state<LatestItem[]>([]);
  /** Set when the background could not be asked at all. */
  problem = $state<string | null>(null);

  readonly latestLimit: number;

  constructor(options: { latestLimit?: number } = {}) {
    this.latestLimit = options.latestLimit ?? 20;
  }

  async refresh(): Promise<void> {
    const state = await send({ type: 'getState' });
    if (state.ok) {
      this.state = state.state;
      this.problem = null;
    } else {
      this.problem = state.error.message;
    }
    // Signed in, the library lists everything (library-view.svelte.ts); the short list is
    // for saves made while signed out, and asking for it would sort the whole collection.
    if (state.ok && state.state.user) {
      this.latest = [];
      return;
    }
    const latest = await send({ type: 'listLatest', limit: this.latestLimit });
    if (latest.ok) this.latest = latest.items;
  }

  /** Applies an answer that carries the new state (sign in, sign out, server change). */
  adopt(response: Responses['signIn']): void {
    if (response.ok) {
      this.state = response.state;
      void this.refresh();
    }
  }

  /** Starts following storage changes; returns the function that stops it. */
  follow(): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const later = () => {
      clearTimeout(timer);
      // A save touches several items in a row; one refresh after them is enough.
      timer = setTimeout(() => void this.refresh(), 50);
    };
    // The mirror and the outbox are followed through their revision: watching the mirror
    // itself would copy the whole collection into this page at every change.
    const stops = [
      sessionItem.watch(later),
      libraryRevisionItem.watch(later),
      lastSaveItem.watch(later),
      syncStatusItem.watch(later),
    ];
    void this.refresh();
    // Opening the page is a good moment to catch up; the answer arrives through the watchers.
    void send({ type: 'sync' });
    return () => {
      clearTimeout(timer);
      for (const stop of stops) stop();
    };
  }
}

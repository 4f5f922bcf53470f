import { tick } from 'svelte';
import type { Visibility } from '../../shared/schemas/reminders';
import { send, type LibraryFilter, type LibraryItem } from './messages';
import { libraryRevisionItem } from './storage';

/**
 * The popup's library: what is filtered and searched, how many match, and the rows loaded
 * so far by window. The background holds the whole list (library-index.ts); the popup
 * only ever holds the pages around what is on screen, so 10,000 reminders cost it no more
 * than 100 do. Local results come at once while typing; the server's search follows
 * (debounced) for what the offline copy may not have yet.
 */

export const PAGE_SIZE = 50;
const TYPE_DEBOUNCE_MS = 120;
const SERVER_DEBOUNCE_MS = 450;

export type VisibilityFilter = 'all' | Visibility;

export class LibraryView {
  query = $state('');
  visibility = $state<VisibilityFilter>('all');
  favorites = $state(false);
  total = $state(0);
  /** False until the first full sync: the list may still be filling. */
  synced = $state(true);
  loaded = $state(false);
  problem = $state<string | null>(null);
  /** Bumped by every new filter, so the list scrolls back to the top. */
  resets = $state(0);
  /** Rows by their index in the filtered list, only around what was asked for. */
  rows = $state.raw<Record<number, LibraryItem>>({});

  /** Pages asked for; bookkeeping, not state anything renders from. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- deliberately not reactive
  private pages = new Set<number>();
  /** Bumped by every new filter: answers for an older one are dropped. */
  private epoch = 0;
  /** The filter the loaded rows belong to (the query box may be ahead of it while typing). */
  private applied: LibraryFilter = {};
  private typing: ReturnType<typeof setTimeout> | undefined;
  private searching: ReturnType<typeof setTimeout> | undefined;
  private visible = { first: 0, last: PAGE_SIZE };

  get filter(): LibraryFilter {
    const q = this.query.trim();
    return {
      ...(q ? { q } : {}),
      ...(this.visibility === 'all' ? {} : { visibility: this.visibility }),
      ...(this.favorites ? { favorite: true } : {}),
    };
  }

  get filtered(): boolean {
    return this.query.trim() !== '' || this.visibility !== 'all' || this.favorites;
  }

  setQuery(text: string): void {
    this.query = text;
    clearTimeout(this.typing);
    clearTimeout(this.searching);
    this.typing = setTimeout(() => void this.reload(), TYPE_DEBOUNCE_MS);
    if (text.trim()) this.searching = setTimeout(() => void this.askServer(), SERVER_DEBOUNCE_MS);
  }

  setVisibility(value: VisibilityFilter): void {
    this.visibility = value;
    void this.reload();
    if (this.query.trim()) void this.askServer();
  }

  toggleFavorites(): void {
    this.favorites = !this.favorites;
    void this.reload();
    if (this.query.trim()) void this.askServer();
  }

  /** A new filter: start from the top. */
  async reload(): Promise<void> {
    this.epoch++;
    this.resets++;
    this.applied = this.filter;
    this.pages.clear();
    this.visible = { first: 0, last: PAGE_SIZE };
    await this.fetchPages([0], true);
  }

  /** The data changed: fetch again what is on screen, keeping rows until the new ones land. */
  async refresh(): Promise<void> {
    const wanted = this.pagesFor(this.visible.first, this.visible.last);
    this.pages.clear();
    await this.fetchPages(wanted, true);
  }

  /** The list shows rows `first`…`last`: load the pages they are on. */
  ensure(first: number, last: number): void {
    this.visible = { first, last };
    const missing = this.pagesFor(first, last).filter((p) => !this.pages.has(p));
    if (missing.length) void this.fetchPages(missing);
  }

  private pagesFor(first: number, last: number): number[] {
    const pages: number[] = [];
    const from = Math.floor(Math.max(0, first) / PAGE_SIZE);
    const to = Math.floor(Math.max(0, first, last) / PAGE_SIZE);
    for (let p = from; p <= to; p++) pages.push(p);
    return pages;
  }

  /** `replace`: rows of pages not (re)loaded since are stale and go. */
  private async fetchPages(pages: number[], replace = false): Promise<void> {
    const epoch = this.epoch;
    for (const p of pages) this.pages.add(p);
    const filter = this.applied;
    const answers = await Promise.all(
      pages.map((p) => send({ type: 'listLibrary', ...filter, offset: p * PAGE_SIZE, limit: PAGE_SIZE })),
    );
    if (epoch !== this.epoch) return;
    const next: Record<number, LibraryItem> = { ...this.rows };
    for (const answer of answers) {
      if (!answer.ok) {
        this.problem = answer.error.message;
        continue;
      }
      this.problem = null;
      this.total = answer.total;
      this.synced = answer.synced;
      answer.items.forEach((item, i) => (next[answer.offset + i] = item));
    }
    for (const key of Object.keys(next).map(Number)) {
      if (key >= this.total || (replace && !this.pages.has(Math.floor(key / PAGE_SIZE)))) delete next[key];
    }
    this.rows = next;
    if (!this.loaded) {
      this.loaded = true;
      // How long the popup takes to show its first rows (measured by the end-to-end tests).
      await tick();
      performance.mark('remindme:library-first-rows');
    }
  }

  private async askServer(): Promise<void> {
    const filter = this.filter;
    if (!filter.q) return;
    const answer = await send({ type: 'searchServer', ...filter, q: filter.q });
    // Offline, or the server found nothing new: the local answer stands.
    if (answer.ok && answer.added > 0 && this.filter.q === filter.q) await this.refresh();
  }

  /** Follows changes made anywhere (a sync, an edit, the outbox); returns the stop function. */
  follow(): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = libraryRevisionItem.watch(() => {
      clearTimeout(timer);
      timer = setTimeout(() => void this.refresh(), 30);
    });
    void this.reload();
    return () => {
      clearTimeout(timer);
      clearTimeout(this.typing);
      clearTimeout(this.searching);
      stop();
    };
  }
}

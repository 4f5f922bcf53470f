import { getCached } from '../../utils/image-db';
import { send } from '../../utils/messages';
import { nextUpItem, type NextUp, type ShownImage } from '../../utils/storage';

/**
 * What this tab shows. The first reminder comes from the precomputed record; the
 * background hears what was shown so the next tab gets a different one. A tab that shows a
 * reminder keeps it (no swapping text under the reader); a tab that has nothing to show yet
 * follows the record, so it fills in as soon as a sync or a sign-in brings reminders.
 *
 * A reminder's image is read from the cache the background filled (never the network);
 * if it is not there after all (evicted a moment ago), the reminder is shown as text.
 */
export class NewTabState {
  view = $state<NextUp>({ status: 'signed-out' });
  busy = $state(false);
  /** An object URL of the cached image, once read. */
  imageUrl = $state<string | null>(null);
  /** The record names an image the cache does not have (after all): show text only. */
  imageMissing = $state(false);

  constructor(initial: NextUp) {
    this.view = initial;
  }

  /** The image to show, or null; its box is laid out before the bytes are read. */
  get image(): ShownImage | null {
    if (this.imageMissing) return null;
    return this.view.status === 'ready' ? (this.view.reminder.image ?? null) : null;
  }

  start(): () => void {
    if (this.view.status === 'ready') {
      this.shown(this.view.reminder.id);
    } else if (this.view.status === 'empty') {
      void send({ type: 'sync' });
    }
    void this.loadImage();
    const stop = nextUpItem.watch((next) => {
      if (this.view.status === 'ready') return;
      this.show(next);
      if (next.status === 'ready') this.shown(next.reminder.id);
    });
    return () => {
      stop();
      this.show({ status: 'signed-out' });
    };
  }

  /** Tells the background, with this screen's size so it caches images to fit its image box. */
  private shown(id: string): void {
    const size = { width: screen.width, height: screen.height, dpr: devicePixelRatio || 1 };
    void send({ type: 'shown', id, screen: size.width > 0 && size.height > 0 ? size : undefined });
  }

  private show(next: NextUp): void {
    if (this.imageUrl) URL.revokeObjectURL(this.imageUrl);
    this.imageUrl = null;
    this.imageMissing = false;
    this.view = next;
    void this.loadImage();
  }

  private async loadImage(): Promise<void> {
    const image = this.image;
    if (!image) return;
    const stored = await getCached(image.key).catch(() => undefined);
    // The view may have moved on while IndexedDB answered.
    if (this.image?.key !== image.key) return;
    if (!stored) {
      this.imageMissing = true;
      return;
    }
    this.imageUrl = URL.createObjectURL(new Blob([stored.data], { type: stored.mime }));
  }

  /** The cached copy could not be decoded: show the reminder as text. */
  imageFailed(): void {
    if (this.imageUrl) URL.revokeObjectURL(this.imageUrl);
    this.imageUrl = null;
    this.imageMissing = true;
  }

  async another(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    const currentId = this.view.status === 'ready' ? this.view.reminder.id : null;
    const response = await send({ type: 'nextReminder', currentId });
    this.busy = false;
    if (response.ok) this.show(response.next);
  }
}

import { send } from '../../utils/messages';
import { nextUpItem, type NextUp } from '../../utils/storage';

/**
 * What this tab shows. The first reminder comes from the precomputed record; the
 * background hears what was shown so the next tab gets a different one. A tab that shows a
 * reminder keeps it (no swapping text under the reader); a tab that has nothing to show yet
 * follows the record, so it fills in as soon as a sync or a sign-in brings reminders.
 */
export class NewTabState {
  view = $state<NextUp>({ status: 'signed-out' });
  busy = $state(false);

  constructor(initial: NextUp) {
    this.view = initial;
  }

  start(): () => void {
    if (this.view.status === 'ready') {
      void send({ type: 'shown', id: this.view.reminder.id });
    } else if (this.view.status === 'empty') {
      void send({ type: 'sync' });
    }
    return nextUpItem.watch((next) => {
      if (this.view.status === 'ready') return;
      this.view = next;
      if (next.status === 'ready') void send({ type: 'shown', id: next.reminder.id });
    });
  }

  async another(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    const currentId = this.view.status === 'ready' ? this.view.reminder.id : null;
    const response = await send({ type: 'nextReminder', currentId });
    this.busy = false;
    if (response.ok) this.view = response.next;
  }
}

import { browser } from 'wxt/browser';
import {
  lastSaveItem,
  outboxItem,
  reminderIdOf,
  type LastSave,
  type OutboxEntry,
  type SaveState,
} from './storage';

/**
 * Tells the person what happened to a save, because a right-click save has no page of its
 * own: the toolbar badge (✓ saved, … waiting to sync, ! not saved), a system notification
 * when something could not be saved, and the last save's status for the popup to show.
 */

const BADGE = {
  saved: { text: '✓', color: '#2e7d32' },
  waiting: { text: '…', color: '#8d6e00' },
  failed: { text: '!', color: '#c62828' },
} as const;

const FLASH_MS = { saved: 5_000, refused: 15_000 } as const;
let flashTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * The badge shows lasting trouble first (a refused save in the outbox, then saves still
 * waiting), otherwise briefly what just happened.
 */
export async function refreshBadge(flash?: 'saved' | 'refused'): Promise<void> {
  const entries = await outboxItem.getValue();
  let badge: (typeof BADGE)[keyof typeof BADGE] | null = null;
  let title = 'RemindMe';
  if (entries.some((e) => e.kind === 'update' && e.theirs)) {
    badge = BADGE.failed;
    title = 'RemindMe: a reminder changed on another device — open to choose a version';
  } else if (entries.some((e) => e.status === 'failed')) {
    badge = BADGE.failed;
    title = 'RemindMe: a save was refused — open to see why';
  } else if (entries.some((e) => e.status === 'pending')) {
    badge = BADGE.waiting;
    title = 'RemindMe: saves waiting to sync';
  } else if (flash === 'saved') {
    badge = BADGE.saved;
  } else if (flash === 'refused') {
    badge = BADGE.failed;
    title = 'RemindMe: not saved — open to see why';
  }
  clearTimeout(flashTimer);
  if (flash && badge && (badge === BADGE.saved || flash === 'refused')) {
    flashTimer = setTimeout(() => void refreshBadge().catch(() => undefined), FLASH_MS[flash]);
  }
  await browser.action.setBadgeText({ text: badge?.text ?? '' });
  if (badge) await browser.action.setBadgeBackgroundColor({ color: badge.color });
  await browser.action.setTitle({ title });
}

export function previewOf(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

export async function reportSave(
  state: SaveState,
  details: { text: string; message: string; reminderId: string | null },
): Promise<LastSave> {
  const save: LastSave = {
    state,
    preview: previewOf(details.text),
    message: details.message,
    reminderId: details.reminderId,
    at: new Date().toISOString(),
  };
  await lastSaveItem.setValue(save);
  if (state === 'failed' || state === 'refused') {
    await notify(`Not saved: ${save.preview || 'your selection'}`, details.message);
  }
  await refreshBadge(state === 'saved' ? 'saved' : state === 'refused' ? 'refused' : undefined);
  return save;
}

/** A queued save reached the server later: update the status the popup shows. */
export async function reportDelivered(entry: OutboxEntry): Promise<void> {
  const last = await lastSaveItem.getValue();
  const reminderId = reminderIdOf(entry);
  if (last?.reminderId === reminderId && last.state === 'queued') {
    await lastSaveItem.setValue({ ...last, state: 'saved', message: 'Saved to RemindMe.' });
  }
  await refreshBadge('saved');
}

/** The server refused a queued save; the entry stays in the outbox, marked failed. */
export async function reportRefused(entry: OutboxEntry): Promise<void> {
  const reason = entry.lastError?.message ?? 'The server refused it.';
  const text = entry.kind === 'create' ? entry.input.text : entry.preview;
  await reportSave('failed', { text, message: reason, reminderId: reminderIdOf(entry) });
}

/** An edit met a change made on another device: the person chooses in the popup. */
export async function reportConflict(entry: OutboxEntry): Promise<void> {
  const preview = entry.kind === 'create' ? previewOf(entry.input.text) : entry.preview;
  await notify(
    `Changed on another device: ${preview}`,
    'Open RemindMe to compare both versions and choose which to keep.',
  );
  await refreshBadge();
}

async function notify(title: string, message: string): Promise<void> {
  try {
    await browser.notifications.create(`remindme-${Date.now()}`, {
      type: 'basic',
      iconUrl: browser.runtime.getURL('/icon/128.png'),
      title,
      message,
    });
  } catch {
    // Notifications can be switched off for the browser; the badge and popup still tell.
  }
}

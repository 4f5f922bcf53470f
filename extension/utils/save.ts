import * as v from 'valibot';
import { LIMITS } from '../../shared/limits';
import { withoutControlCharacters } from '../../shared/schemas/common';
import { CreateReminderInputSchema } from '../../shared/schemas/reminders';
import { describeIssues } from '../../shared/validation';
import { ownerOf, type Failure } from './account';
import { reportSave } from './feedback';
import { recomputeNextUp } from './next-up';
import { enqueue, flushOutbox } from './outbox';
import { outboxItem, sessionItem, type CreateEntry, type PendingImage, type SaveState } from './storage';
import { syncNow } from './sync';

/**
 * The one way a reminder gets saved, from the context menu or the popup's quick add.
 * Input is checked with the same schema the server uses before anything is stored, so an
 * impossible save (a whole page of 70,000 characters) is refused here with the schema's
 * own message and never sits in the outbox.
 */

export interface Draft {
  text: string;
  author?: string | null;
  sourceUrl?: string | null;
  sourceTitle?: string | null;
  /** Uploaded before the reminder is created, which then names it. */
  image?: PendingImage | null;
}

export type SaveResult =
  | { ok: true; id: string; state: Extract<SaveState, 'saved' | 'queued'>; message: string }
  | { ok: false; id: string | null; state: Extract<SaveState, 'failed' | 'refused'>; error: Failure };

/** Only http(s) pages become a source: the new tab turns it into a link. */
export function httpSource(url: string | null | undefined): string | null {
  if (!url || url.length > LIMITS.sourceUrlMaxLength) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** A page title is context, not content: a long one is shortened rather than refusing the save. */
function cleanTitle(title: string | null | undefined): string | null {
  const trimmed = title && withoutControlCharacters(title).replace(/\s+/g, ' ').trim();
  if (!trimmed) return null;
  if (trimmed.length <= LIMITS.sourceTitleMaxLength) return trimmed;
  // Cut in UTF-16 units (the limit's unit) without leaving half of a surrogate pair.
  const cut = trimmed.slice(0, LIMITS.sourceTitleMaxLength - 1);
  return (/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut) + '…';
}

export function buildInput(draft: Draft, id: string = crypto.randomUUID()) {
  const author = draft.author && withoutControlCharacters(draft.author).trim();
  return {
    id,
    text: withoutControlCharacters(draft.text).trim(),
    author: author ? author : null,
    sourceUrl: httpSource(draft.sourceUrl),
    sourceTitle: cleanTitle(draft.sourceTitle),
  };
}

export async function saveReminder(draft: Draft): Promise<SaveResult> {
  const candidate = buildInput(draft);
  const parsed = v.safeParse(CreateReminderInputSchema, candidate);
  if (!parsed.success) {
    const { message, fields } = describeIssues(parsed.issues);
    await reportSave('refused', { text: candidate.text, message, reminderId: null });
    return { ok: false, id: null, state: 'refused', error: { code: 'validation_failed', message, fields } };
  }
  const input = { ...parsed.output, id: candidate.id };
  const session = await sessionItem.getValue();
  const entry: CreateEntry = {
    kind: 'create',
    id: input.id,
    owner: session ? ownerOf(session) : null,
    input,
    image: draft.image ?? null,
    createdAt: new Date().toISOString(),
    status: 'pending',
    attempts: 0,
    nextAttemptAt: 0,
    lastError: null,
  };
  await enqueue(entry);

  await flushOutbox({ force: true });
  // The outbox says what happened, whichever flush carried the entry: gone means delivered.
  const after = (await outboxItem.getValue()).find((e) => e.id === input.id);
  if (!after) {
    await reportSave('saved', { text: input.text, message: 'Saved to RemindMe.', reminderId: input.id });
    void syncNow()
      .then(() => recomputeNextUp())
      .catch(() => undefined);
    return { ok: true, id: input.id, state: 'saved', message: 'Saved to RemindMe.' };
  }
  if (after.status === 'failed') {
    // The flush has already told the person (reportRefused).
    const message = after.lastError?.message ?? 'The server refused it.';
    return {
      ok: false,
      id: input.id,
      state: 'failed',
      error: { code: after.lastError?.code ?? 'refused', message, fields: {} },
    };
  }
  // Asked again: the flush may have found the session ended.
  const message = (await sessionItem.getValue())
    ? 'Saved on this device. It will be sent to your RemindMe server when it can be reached.'
    : 'Saved on this device. Sign in to RemindMe to sync it.';
  await reportSave('queued', { text: input.text, message, reminderId: input.id });
  await recomputeNextUp();
  return { ok: true, id: input.id, state: 'queued', message };
}

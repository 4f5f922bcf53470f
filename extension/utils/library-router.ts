import { LIMITS } from '../../shared/limits';
import type { Reminder } from '../../shared/schemas/reminders';
import { ApiError } from './api';
import { failureOf, sessionEnded, signedInClient } from './account';
import { chooseHandle, devices, newPassword, signOutOne } from './account-manage';
import { discardImport, exportFile, runImport } from './import-run';
import { deleteReminder, editReminder, resolveConflict, restoreReminder } from './library-edit';
import { addServerResults, libraryRow, queryLibrary } from './library-index';
import type { MessageOf } from './message-schema';
import type { LibraryFilter, Responses } from './messages';
import { recomputeNextUp } from './next-up';
import { readState } from './snapshot';
import { trashPage } from './trash-view';

/** The library's messages (issue #4): browsing, editing, trash, import/export, account. */

export const LIBRARY_MESSAGES = [
  'listLibrary',
  'searchServer',
  'getLibraryItem',
  'updateReminder',
  'deleteReminder',
  'restoreReminder',
  'resolveConflict',
  'listTrash',
  'importFile',
  'discardImport',
  'exportFile',
  'setHandle',
  'listDevices',
  'signOutDevice',
  'changePassword',
] as const;

export type LibraryMessage = MessageOf<(typeof LIBRARY_MESSAGES)[number]>;

export function isLibraryMessage(message: { type: string }): message is LibraryMessage {
  return (LIBRARY_MESSAGES as readonly string[]).includes(message.type);
}

type AnyResponse = Responses[keyof Responses];

const filterOf = (m: LibraryFilter): LibraryFilter => ({
  q: m.q,
  visibility: m.visibility,
  favorite: m.favorite,
});

/** Pages of server results merged into a search; the offline copy normally has them all. */
const SERVER_SEARCH_PAGES = 3;

async function searchServer(filter: LibraryFilter & { q: string }): Promise<AnyResponse> {
  const client = await signedInClient();
  if (!client)
    return { ok: false, error: { code: 'unauthorized', message: 'Sign in to search.', fields: {} } };
  const found: Reminder[] = [];
  let cursor: string | undefined;
  try {
    for (let page = 0; page < SERVER_SEARCH_PAGES; page++) {
      const answer = await client.api.listReminders({
        ...filter,
        q: filter.q.trim(),
        cursor,
        limit: LIMITS.pageSizeMax,
      });
      found.push(...answer.items);
      if (!answer.nextCursor) break;
      cursor = answer.nextCursor;
    }
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) await sessionEnded();
    return { ok: false, error: failureOf(error) };
  }
  return { ok: true, found: found.length, added: await addServerResults(filter, found) };
}

export async function dispatchLibrary(message: LibraryMessage): Promise<AnyResponse> {
  switch (message.type) {
    case 'listLibrary': {
      const page = await queryLibrary(filterOf(message), message.offset, message.limit);
      if (!page)
        return {
          ok: false,
          error: { code: 'unauthorized', message: 'Sign in to see your reminders.', fields: {} },
        };
      return { ok: true, offset: message.offset, ...page };
    }
    case 'searchServer':
      return searchServer({ ...filterOf(message), q: message.q });
    case 'getLibraryItem':
      return { ok: true, item: await libraryRow(message.id) };
    case 'updateReminder':
      return editReminder(message.id, message.baseVersion, message.base, message.patch);
    case 'deleteReminder':
      return deleteReminder(message.id);
    case 'restoreReminder':
      return restoreReminder(message.id);
    case 'resolveConflict':
      return resolveConflict(message.entryId, message.keep);
    case 'listTrash':
      return trashPage(message.cursor);
    case 'importFile':
      return runImport(message.key, message.format, message.dryRun);
    case 'discardImport':
      await discardImport(message.key);
      return { ok: true };
    case 'exportFile':
      return exportFile(message.format);
    case 'setHandle':
      await chooseHandle(message.handle);
      return { ok: true, state: await readState() };
    case 'listDevices':
      return { ok: true, devices: await devices() };
    case 'signOutDevice':
      await signOutOne(message.id);
      await recomputeNextUp();
      return { ok: true, state: await readState() };
    case 'changePassword':
      await newPassword(message.currentPassword, message.newPassword);
      return { ok: true };
  }
}

import type { ImportFormat, ImportReport } from '../../shared/schemas/library';
import { ApiError } from './api';
import { failureOf, sessionEnded, signedInClient, type Failure } from './account';
import { deletePending, getPending } from './image-db';
import { exportCollection, importCollection } from './library-api';
import { recomputeNextUp } from './next-up';
import { importProgressItem, type ImportProgress } from './storage';
import { syncNow } from './sync';

/**
 * Imports for the options page. The page hands the file over as bytes in IndexedDB (the
 * server decodes them: UTF-8, UTF-16 or Windows-1252, with or without a byte-order mark),
 * and the background sends them and follows the server's progress, which it writes to
 * session storage for the page's progress bar. The bytes stay between a dry run and the
 * real import, and go once that is done (or the person lets go of the file).
 */

type Answer<T> = ({ ok: true } & T) | { ok: false; error: Failure };

const refusal = (code: string, message: string): Answer<never> => ({
  ok: false,
  error: { code, message, fields: {} },
});

export async function runImport(
  key: string,
  format: ImportFormat,
  dryRun: boolean,
): Promise<Answer<{ report: ImportReport }>> {
  const client = await signedInClient();
  if (!client) return refusal('unauthorized', 'Sign in to import reminders.');
  const file = await getPending(key).catch(() => undefined);
  if (!file) return refusal('import_missing', 'The file could not be read any more. Choose it again.');
  const base: ImportProgress = {
    key,
    format,
    dryRun,
    phase: 'sending',
    done: 0,
    total: 0,
    report: null,
    message: null,
    at: Date.now(),
  };
  await importProgressItem.setValue(base);
  try {
    // The server reports once per batch of rows it wrote: few enough to pass on each one.
    const report = await importCollection(client.api, { bytes: file.data, format, dryRun }, (done, total) => {
      void importProgressItem.setValue({ ...base, phase: 'importing', done, total, at: Date.now() });
    });
    await importProgressItem.setValue({
      ...base,
      phase: 'done',
      done: report.total,
      total: report.total,
      report,
      at: Date.now(),
    });
    if (!dryRun) {
      await deletePending([key]).catch(() => undefined);
      // The new reminders come into the library (and the new tab's pool) with the next pull.
      void syncNow()
        .then(() => recomputeNextUp())
        .catch(() => undefined);
    }
    return { ok: true, report };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) await sessionEnded();
    const failure = failureOf(error);
    await importProgressItem.setValue({ ...base, phase: 'failed', message: failure.message, at: Date.now() });
    return { ok: false, error: failure };
  }
}

export async function discardImport(key: string): Promise<void> {
  await deletePending([key]).catch(() => undefined);
}

export async function exportFile(format: 'json' | 'csv') {
  const client = await signedInClient();
  if (!client) return refusal('unauthorized', 'Sign in to export your reminders.');
  try {
    return { ok: true as const, ...(await exportCollection(client.api, format)) };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) await sessionEnded();
    return { ok: false as const, error: failureOf(error) };
  }
}

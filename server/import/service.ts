import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { CreateReminderInputSchema } from '../../shared/schemas/reminders';
import type { UserRow } from '../auth/repo';
import { AppError } from '../errors';
import type { ReminderService } from '../reminders/service';
import type { ImportEntry } from './fortune';

export type ImportReport = {
  created: number;
  duplicates: number;
  skipped: { index: number; reason: string }[];
};

/** Case, width and spacing differences do not make a saying new. */
export function normalizeForDedupe(value: string | undefined): string {
  return (value ?? '').normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Imported reminders get an id derived from the owner, text and author, so importing the
 * same file twice (or an interrupted import again) creates nothing new: the second create
 * of each id is recognised as a repeat by the reminder service.
 */
export function importId(userId: string, entry: ImportEntry): string {
  const hex = createHash('sha256')
    .update(`${userId}\n${normalizeForDedupe(entry.text)}\n${normalizeForDedupe(entry.author)}`)
    .digest('hex');
  // Lay the hash out as an RFC 9562 version-8 (custom) UUID.
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export async function importEntries(
  reminders: ReminderService,
  user: UserRow,
  entries: ImportEntry[],
  options: { dryRun?: boolean } = {},
): Promise<ImportReport> {
  const report: ImportReport = { created: 0, duplicates: 0, skipped: [] };
  const seen = new Set<string>();
  for (const [index, entry] of entries.entries()) {
    const id = importId(user.id, entry);
    const parsed = v.safeParse(CreateReminderInputSchema, { id, text: entry.text, author: entry.author });
    if (!parsed.success) {
      report.skipped.push({ index, reason: parsed.issues[0]?.message ?? 'Not a valid reminder.' });
      continue;
    }
    if (seen.has(id)) {
      report.duplicates += 1;
      continue;
    }
    seen.add(id);
    if (options.dryRun) {
      if (await reminders.exists(user, id)) report.duplicates += 1;
      else report.created += 1;
      continue;
    }
    try {
      const result = await reminders.create(user, parsed.output);
      if (result.created) report.created += 1;
      else report.duplicates += 1;
    } catch (error) {
      if (error instanceof AppError && error.code === 'id_conflict') report.duplicates += 1;
      else throw error;
    }
  }
  return report;
}

import { randomUUID } from 'node:crypto';
import * as v from 'valibot';
import { LIBRARY } from '../../shared/limits';
import type { ImportEntry, ImportFormat, ImportIssue, ImportReport } from '../../shared/schemas/library';
import { CreateReminderInputSchema } from '../../shared/schemas/reminders';
import type { UserRow } from '../auth/repo';
import { AppError } from '../errors';
import { newReminderRow, type NewReminder, type ReminderRepo } from '../reminders/repo';
import { dedupeKey } from '../reminders/search-index';
import { PARSERS } from './parse';
import { decodeText, issue, type ImageRef, type ParsedEntry } from './text';

/** Rows per insert transaction: large enough to be fast, small enough to report progress. */
const BATCH = 1_000;

export type ImportOptions = {
  dryRun?: boolean;
  /** Called after each batch is written (and once at the end of a dry run). */
  onProgress?: (done: number, total: number) => void;
};

/** Brings an exported image back: the id of an image of this user to attach, or null. */
export type ImportImages = { attach(userId: string, ref: ImageRef): Promise<string | null> };

const { id: _id, imageId: _imageId, ...entryFields } = CreateReminderInputSchema.entries;
const EntrySchema = v.strictObject(entryFields);

type Accepted = { entry: ParsedEntry; input: v.InferOutput<typeof EntrySchema>; key: string };

/** What an import will do: the rows to write and the report so far. */
export type ImportPlan = { userId: string; rows: NewReminder[]; report: ImportReport };

/**
 * Imports a file into one person's collection. Rules that live here:
 * - every entry is validated like a reminder created through the API (same limits);
 * - duplicates are recognised by normalised text and author, within the file and against
 *   the collection (trash included: a deleted saying is not brought back behind the
 *   person's back; the report says where it is), so importing a file again adds nothing;
 * - a dry run does all of that and writes nothing;
 * - writes go in batches, each one transaction.
 */
export function createImportService(deps: { repo: ReminderRepo; clock: () => Date; images?: ImportImages }) {
  const { repo, clock } = deps;

  function validate(entry: ParsedEntry, warnings: ImportIssue[]): Accepted['input'] | ImportIssue {
    const input = {
      text: entry.text,
      note: entry.note,
      author: entry.author,
      sourceUrl: entry.sourceUrl,
      sourceTitle: entry.sourceTitle,
      visibility: entry.visibility,
      favorite: entry.favorite,
    };
    let parsed = v.safeParse(EntrySchema, input);
    if (!parsed.success && parsed.issues.every((i) => v.getDotPath(i) === 'sourceUrl')) {
      warnings.push(
        issue(
          entry.at,
          `Imported without its source link, which is not a web address (${entry.sourceUrl}).`,
          entry.text,
        ),
      );
      parsed = v.safeParse(EntrySchema, { ...input, sourceUrl: undefined });
    }
    if (!parsed.success)
      return issue(entry.at, parsed.issues[0]?.message ?? 'Not a valid reminder.', entry.text);
    return parsed.output;
  }

  /** Reads, checks and de-duplicates the file; throws for a file that cannot be read at all. */
  async function plan(
    user: UserRow,
    format: ImportFormat,
    file: Uint8Array | string,
    dryRun: boolean,
  ): Promise<ImportPlan> {
    const parsed = PARSERS[format](typeof file === 'string' ? file : decodeText(file));
    if (parsed.entries.length > LIBRARY.importMaxEntries) {
      throw new AppError(
        'payload_too_large',
        `The file has ${parsed.entries.length.toLocaleString('en')} entries; one import takes at most ${LIBRARY.importMaxEntries.toLocaleString('en')}. Split it into smaller files.`,
      );
    }
    const report = {
      format,
      dryRun,
      total: parsed.entries.length + parsed.skipped.length + parsed.errors.length,
      created: 0,
      duplicates: 0,
      skipped: parsed.skipped,
      errors: parsed.errors,
      warnings: [] as ImportIssue[],
      omittedIssues: 0,
      preview: [] as ImportEntry[],
    };

    const accepted: Accepted[] = [];
    const seen = new Set<string>();
    for (const entry of parsed.entries) {
      const input = validate(entry, report.warnings);
      if ('reason' in input) {
        report.errors.push(input);
        continue;
      }
      const key = dedupeKey(input.text, input.author);
      if (seen.has(key)) report.duplicates += 1;
      else {
        seen.add(key);
        accepted.push({ entry, input, key });
      }
    }

    const existing = new Map(
      (await repo.findByDedupeKeys(user.id, [...seen])).map((r) => [r.dedupeKey, r.deletedAt]),
    );
    const fresh = accepted.filter(({ entry, key }) => {
      if (!existing.has(key)) return true;
      const deletedAt = existing.get(key);
      if (deletedAt) {
        report.skipped.push(
          issue(
            entry.at,
            `In your trash (deleted ${deletedAt.toISOString().slice(0, 10)}): restore it from there instead.`,
            entry.text,
          ),
        );
      } else report.duplicates += 1;
      return false;
    });

    const now = clock().getTime();
    const rows: NewReminder[] = [];
    for (const [i, { entry, input }] of fresh.entries()) {
      // Without dates of their own, the file's first entry is the newest: browsing newest
      // first then reads the file from the top.
      const createdAt = entry.createdAt ? new Date(entry.createdAt) : new Date(now - i);
      const imageId = entry.image && !dryRun ? await deps.images?.attach(user.id, entry.image) : null;
      if (entry.image && !dryRun && !imageId) {
        report.warnings.push(
          issue(entry.at, 'Imported without its image, which could not be brought along.', entry.text),
        );
      }
      rows.push(
        newReminderRow(user.id, input, {
          id: randomUUID(),
          imageId: imageId ?? null,
          createdAt,
          updatedAt: entry.updatedAt ? new Date(entry.updatedAt) : new Date(now),
        }),
      );
    }

    report.preview = fresh.slice(0, LIBRARY.importPreviewSize).map(({ input, entry }) => ({
      ...Object.fromEntries(
        Object.entries(input).filter(([, value]) => value !== undefined && value !== null),
      ),
      text: input.text,
      ...(entry.createdAt ? { createdAt: entry.createdAt } : {}),
    }));
    return { userId: user.id, rows, report: capIssues(report) };
  }

  /** Writes a plan (nothing in a dry run), reporting progress after each batch. */
  async function apply(p: ImportPlan, onProgress?: ImportOptions['onProgress']): Promise<ImportReport> {
    const { report, rows } = p;
    if (report.dryRun) {
      report.created = rows.length;
      onProgress?.(rows.length, rows.length);
      return report;
    }
    for (let i = 0; i < rows.length; i += BATCH) {
      report.created += await repo.insertMany(p.userId, rows.slice(i, i + BATCH));
      onProgress?.(report.created, rows.length);
      // SQLite writes synchronously: without a turn of the event loop between batches the
      // progress would reach the client only with the report, and other requests would wait.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return report;
  }

  return {
    plan,
    apply,
    async run(user: UserRow, format: ImportFormat, file: Uint8Array | string, options: ImportOptions = {}) {
      return apply(await plan(user, format, file, options.dryRun ?? false), options.onProgress);
    },
  };
}

export type ImportService = ReturnType<typeof createImportService>;

/** Lists stay readable (LIBRARY.importReportMaxIssues in all); the rest is counted. */
function capIssues(report: ImportReport): ImportReport {
  let room: number = LIBRARY.importReportMaxIssues;
  const take = (list: ImportIssue[]) => {
    const kept = list.slice(0, Math.max(0, room));
    room -= kept.length;
    report.omittedIssues += list.length - kept.length;
    return kept;
  };
  report.errors = take(report.errors);
  report.skipped = take(report.skipped.sort((a, b) => a.entry - b.entry));
  report.warnings = take(report.warnings);
  return report;
}

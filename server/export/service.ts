import type { ExportedReminder } from '../../shared/schemas/library';
import type { Reminder } from '../../shared/schemas/reminders';
import type { UserRow } from '../auth/repo';
import type { ImageService } from '../images/service';
import { toReminder } from '../reminders/present';
import type { ListPosition, ReminderRepo } from '../reminders/repo';
import { csvRow } from './csv-write';

const PAGE = 1_000;

export const CSV_COLUMNS = [
  'text',
  'author',
  'note',
  'sourceUrl',
  'sourceTitle',
  'visibility',
  'favorite',
  'createdAt',
  'updatedAt',
  'imageUrl',
] as const;

export function toExported(r: Reminder): ExportedReminder {
  const image = r.image;
  return {
    id: r.id,
    text: r.text,
    note: r.note,
    author: r.author,
    sourceUrl: r.sourceUrl,
    sourceTitle: r.sourceTitle,
    visibility: r.visibility,
    favorite: r.favorite,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    image: image
      ? {
          id: image.id,
          mime: image.mime,
          width: image.width,
          height: image.height,
          bytes: image.bytes,
          sourceUrl: image.sourceUrl,
          url: image.url,
          expiresAt: image.expiresAt,
        }
      : r.imageId
        ? {
            id: r.imageId,
            mime: '',
            width: 0,
            height: 0,
            bytes: 0,
            sourceUrl: null,
            url: null,
            expiresAt: null,
          }
        : null,
  };
}

/**
 * The whole live collection, newest first, read a page at a time so a large collection is
 * never held in memory at once. Trash is not exported (it is on its way out).
 */
export function createExportService(
  repo: ReminderRepo,
  images: Pick<ImageService, 'withImages'>,
  clock: () => Date,
) {
  async function* reminders(user: UserRow, baseUrl: string): AsyncGenerator<ExportedReminder[]> {
    let after: ListPosition | undefined;
    for (;;) {
      const rows = await repo.list({ userId: user.id, limit: PAGE, after });
      if (!rows.length) return;
      yield (await images.withImages(user.id, rows.map(toReminder), baseUrl)).map(toExported);
      const last = rows.at(-1);
      if (rows.length < PAGE || !last) return;
      after = { createdAt: last.createdAt, id: last.id };
    }
  }

  return {
    fileName: (format: 'json' | 'csv') => `remindme-${clock().toISOString().slice(0, 10)}.${format}`,

    /** Chunks of the JSON export file (ExportFileSchema). */
    async *json(user: UserRow, baseUrl: string): AsyncGenerator<string> {
      yield `{"format":"remindme","version":1,"exportedAt":${JSON.stringify(clock().toISOString())},"reminders":[`;
      let first = true;
      for await (const page of reminders(user, baseUrl)) {
        yield page.map((r) => `${first ? ((first = false), '\n') : ',\n'}${JSON.stringify(r)}`).join('');
      }
      yield '\n]}\n';
    },

    /** Chunks of the CSV export (CSV_COLUMNS, one reminder a row). */
    async *csv(user: UserRow, baseUrl: string): AsyncGenerator<string> {
      yield `\uFEFF${csvRow([...CSV_COLUMNS])}`;
      for await (const page of reminders(user, baseUrl)) {
        yield page
          .map((r) =>
            csvRow([
              r.text,
              r.author,
              r.note,
              r.sourceUrl,
              r.sourceTitle,
              r.visibility,
              r.favorite,
              r.createdAt,
              r.updatedAt,
              r.image?.url ?? null,
            ]),
          )
          .join('');
      }
    },
  };
}

export type ExportService = ReturnType<typeof createExportService>;

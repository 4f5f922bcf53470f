import { VISIBILITIES, type Visibility } from '../../shared/schemas/reminders';
import { unguardCell } from '../export/csv-write';
import { headerKey, readCsv, type CsvRecord } from './csv-read';
import { parseReadwiseRecords, isReadwiseHeader } from './readwise';
import {
  emptyParsed,
  issue,
  optional,
  parseInstant,
  unreadable,
  type Parsed,
  type ParsedEntry,
} from './text';

type Field =
  | 'text'
  | 'author'
  | 'note'
  | 'sourceUrl'
  | 'sourceTitle'
  | 'visibility'
  | 'favorite'
  | 'createdAt'
  | 'updatedAt';

/** Column names other tools (and our own export) use, by the field they fill. */
const ALIASES: Record<Field, string[]> = {
  text: ['quote', 'text', 'saying', 'content', 'body', 'reminder', 'phrase', 'citation', 'zitat', 'cita'],
  author: ['author', 'by', 'attribution', 'who', 'speaker', 'autor', 'auteur', 'autore'],
  note: ['note', 'notes', 'comment', 'comments'],
  sourceUrl: ['url', 'link', 'sourceurl', 'href'],
  sourceTitle: ['title', 'source', 'sourcetitle', 'book', 'work'],
  visibility: ['visibility'],
  favorite: ['favorite', 'favourite', 'starred'],
  createdAt: ['createdat', 'created', 'date', 'added'],
  updatedAt: ['updatedat'],
};

function columnsOf(header: string[]): Partial<Record<Field, number>> | null {
  const keys = header.map(headerKey);
  const columns: Partial<Record<Field, number>> = {};
  for (const [field, names] of Object.entries(ALIASES) as [Field, string[]][]) {
    const index = keys.findIndex((k) => names.includes(k));
    if (index >= 0) columns[field] = index;
  }
  return columns.text === undefined ? null : columns;
}

/**
 * Without a header, two columns are a quote and its author in either order (`quote,author`
 * or the `author,quote` lists some new-tab tools use): the column with the longer cells is
 * the quote.
 */
function guessColumns(records: CsvRecord[]): Partial<Record<Field, number>> {
  const sample = records.slice(0, 200);
  const width = Math.max(...sample.map((r) => r.fields.length));
  if (width < 2) return { text: 0 };
  const avg = (i: number) =>
    sample.reduce((n, r) => n + (r.fields[i]?.trim().length ?? 0), 0) / sample.length;
  return avg(0) >= avg(1) ? { text: 0, author: 1 } : { text: 1, author: 0 };
}

const parseBool = (v: string | undefined) => (v ? /^(true|yes|1|y|x|★)$/i.test(v.trim()) : undefined);
const parseVisibility = (v: string | undefined): Visibility | undefined => {
  const key = v?.trim().toLowerCase();
  return VISIBILITIES.find((x) => x === key);
};
/** CSV with a header naming its columns (any of ALIASES), or two unnamed columns. */
export function parseCsvFile(text: string): Parsed {
  const { records, unclosedQuoteAt } = readCsv(text);
  if (unclosedQuoteAt !== null) {
    throw unreadable(`The CSV file has a quote opened on line ${unclosedQuoteAt} that never closes.`);
  }
  const first = records[0];
  if (!first) return emptyParsed();
  if (isReadwiseHeader(first.fields)) return parseReadwiseRecords(records);
  const named = columnsOf(first.fields);
  const columns = named ?? guessColumns(records);
  // Our own export marks formula-like cells; other files' apostrophes are left alone.
  const ours = named !== null && named.visibility !== undefined && named.createdAt !== undefined;
  const cell = (r: CsvRecord, f: Field) => {
    const i = columns[f];
    const value = i === undefined ? undefined : r.fields[i];
    return value !== undefined && ours ? unguardCell(value) : value;
  };

  const out = emptyParsed();
  const body = named ? records.slice(1) : records;
  body.forEach((record, index) => {
    const at = { entry: index + 1, line: record.line };
    const quote = cell(record, 'text')?.trim();
    if (!quote) {
      out.skipped.push(issue(at, 'No quote in this row.', record.fields.join(' ')));
      return;
    }
    const entry: ParsedEntry = {
      at,
      text: quote,
      author: optional(cell(record, 'author')),
      note: optional(cell(record, 'note')),
      sourceUrl: optional(cell(record, 'sourceUrl')),
      sourceTitle: optional(cell(record, 'sourceTitle')),
      visibility: parseVisibility(cell(record, 'visibility')),
      favorite: parseBool(cell(record, 'favorite')),
      createdAt: parseInstant(cell(record, 'createdAt')),
      updatedAt: parseInstant(cell(record, 'updatedAt')),
    };
    out.entries.push(entry);
  });
  return out;
}

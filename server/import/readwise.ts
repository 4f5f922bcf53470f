import { headerKey, readCsv, type CsvRecord } from './csv-read';
import { emptyParsed, issue, optional, parseInstant, unreadable, type Parsed } from './text';

/**
 * Readwise's CSV export: Highlight, Book Title, Book Author, Amazon Book ID, Note, Color,
 * Tags, Location Type, Location, Highlighted at, Document tags. A highlight becomes a
 * reminder with the book as its source and the book's author as its author; the person's
 * note (and tags, which have no field of their own) become the note. Readwise marks headings
 * with a note of `.h1`…`.h6`: those are structure, not highlights, and are left out.
 */
export function isReadwiseHeader(fields: string[]): boolean {
  const keys = fields.map(headerKey);
  return keys.includes('highlight') && keys.includes('booktitle');
}

export function parseReadwise(text: string): Parsed {
  const { records, unclosedQuoteAt } = readCsv(text);
  if (unclosedQuoteAt !== null) {
    throw unreadable(`The CSV file has a quote opened on line ${unclosedQuoteAt} that never closes.`);
  }
  const first = records[0];
  if (!first) return emptyParsed();
  if (!isReadwiseHeader(first.fields)) {
    throw unreadable(
      'This is not a Readwise export: its first line should name the columns Highlight, Book Title, Book Author, ….',
    );
  }
  return parseReadwiseRecords(records);
}

export function parseReadwiseRecords(records: CsvRecord[]): Parsed {
  const [header, ...body] = records;
  const keys = (header?.fields ?? []).map(headerKey);
  const col = (name: string) => keys.indexOf(name);
  const [highlight, title, author, note, tags, at, url] = [
    col('highlight'),
    col('booktitle'),
    col('bookauthor'),
    col('note'),
    col('tags'),
    col('highlightedat'),
    col('url'),
  ];
  const out = emptyParsed();
  body.forEach((record, index) => {
    const get = (i: number) => (i >= 0 ? record.fields[i] : undefined);
    const position = { entry: index + 1, line: record.line };
    const text = get(highlight)?.trim();
    const noteText = optional(get(note));
    if (!text) {
      out.skipped.push(issue(position, 'Empty highlight.', get(title)));
      return;
    }
    if (noteText && /^\.h[1-6]\b/i.test(noteText)) {
      out.skipped.push(issue(position, 'A heading (marked .h1–.h6 in Readwise), not a highlight.', text));
      return;
    }
    const tagList = optional(get(tags));
    out.entries.push({
      at: position,
      text,
      author: optional(get(author)),
      sourceTitle: optional(get(title)),
      sourceUrl: optional(get(url)),
      note: [noteText, tagList ? `Tags: ${tagList}` : undefined].filter(Boolean).join('\n\n') || undefined,
      createdAt: parseInstant(get(at)),
    });
  });
  return out;
}

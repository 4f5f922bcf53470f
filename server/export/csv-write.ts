/**
 * CSV as spreadsheets read it: UTF-8 with a byte-order mark (so Excel does not guess a
 * legacy encoding), CRLF between records, cells quoted when they hold a delimiter, quote or
 * line break. A cell that a spreadsheet would run as a formula (starting with =, +, -, @ or
 * a control character) gets a leading apostrophe; our CSV import removes it again.
 */
export const CSV_BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvRow = (cells: (string | number | boolean | null | undefined)[]) =>
  `${cells.map(csvCell).join(',')}\r\n`;

/** Undoes `csvCell`'s formula guard. */
export const unguardCell = (text: string) => (/^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text);
